package dev.nightjar.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The monitoring API of a submitted driver's web UI, on a port the test picks: it tells a fault
 * test which step a job has reached (its active stages). The UI binds to {@code SPARK_LOCAL_IP}
 * (127.0.0.1). Its view lags the executors by the driver's listener queue, so which tasks are
 * running right now is better read from the executors' own logs ({@link ExecutorLogs}).
 */
public final class DriverUi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * An active stage of application {@code appId}: Spark names it after its call site; the
   * description is its job group's.
   */
  public record Stage(String appId, int id, String name, String description) {}

  private final int port = StandaloneCluster.freePort();
  private final HttpClient http = HttpClient.newHttpClient();

  /** The Spark setting that puts the driver's UI on this port; pass it to spark-submit. */
  public String portSetting() {
    return "spark.ui.port=" + port;
  }

  /**
   * An active stage that {@code stage} accepts, if there is one; empty too while the UI is not up.
   */
  public Optional<Stage> activeStage(Predicate<Stage> stage) throws InterruptedException {
    return activeStages().stream().filter(stage).findFirst();
  }

  /** The application's active stages; none while the UI is not up. */
  private List<Stage> activeStages() throws InterruptedException {
    Optional<String> appId =
        get("/api/v1/applications").map(apps -> apps.path(0).path("id").asText(null));
    if (appId.isEmpty()) {
      return List.of();
    }
    List<Stage> stages = new ArrayList<>();
    for (JsonNode node :
        get("/api/v1/applications/" + appId.get() + "/stages?status=active")
            .orElse(JSON.createArrayNode())) {
      stages.add(
          new Stage(
              appId.get(),
              node.path("stageId").asInt(),
              node.path("name").asText(""),
              node.path("description").asText("")));
    }
    return stages;
  }

  /** The JSON at {@code path}, or empty if the UI does not answer (not up yet, or already gone). */
  private Optional<JsonNode> get(String path) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(JSON.readTree(response.body()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
