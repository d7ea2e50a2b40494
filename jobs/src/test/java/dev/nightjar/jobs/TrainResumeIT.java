package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightjar.testing.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run whose driver JVM is killed in the middle of an epoch continues with
 * {@code --resume} from its last checkpoint and ends within tolerance of an uninterrupted run.
 */
class TrainResumeIT {
  private static final String DATE = "2026-03-04";
  @TempDir Path work;

  private List<String> stage(String stage, String runId, String... extra) {
    List<String> args = new ArrayList<>(List.of("--master", "local[2]", "--driver-memory", "3g", stage,
        "--output", work.resolve("output").toString(), "--date", DATE, "--run-id", runId,
        "--data", FashionMnist.dir(), "--conf", "data.train-limit=3000", "--conf", "data.test-limit=1000",
        "--conf", "train.epochs=3"));
    args.addAll(List.of(extra));
    return args;
  }

  private JsonNode model() throws Exception {
    return new ObjectMapper().readTree(work.resolve("output/models/run_date=" + DATE + "/model.json").toFile());
  }

  @Test
  void killedDriverResumesFromItsLastCheckpoint() throws Exception {
    SubmittedJob prepare = SubmittedJob.start(work.resolve("prepare.log"), stage("prepare", "prepare"));
    assertThat(prepare.await(10)).as(prepare.log()).isZero();

    SubmittedJob straight = SubmittedJob.start(work.resolve("straight.log"), stage("train", "straight"));
    assertThat(straight.await(10)).as(straight.log()).isZero();
    JsonNode uninterrupted = model();
    assertThat(uninterrupted.get("epochs").asInt()).isEqualTo(3);

    SubmittedJob killed = SubmittedJob.start(work.resolve("killed.log"), stage("train", "killed"));
    Path firstCheckpoint = work.resolve("output/checkpoints/run_date=" + DATE + "/epoch-001/state.json");
    long deadline = System.currentTimeMillis() + 5 * 60_000;
    while (!Files.exists(firstCheckpoint) && killed.isAlive() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertThat(firstCheckpoint).as("first checkpoint; log:%n%s", killed.log()).exists();
    Thread.sleep(2000); // into the second epoch
    assertThat(killed.isAlive()).as("still training when killed").isTrue();
    killed.kill();
    // The crash left the previous model alone.
    assertThat(model().get("runId").asText()).isEqualTo("straight");

    SubmittedJob resumed = SubmittedJob.start(work.resolve("resumed.log"), stage("train", "resumed", "--resume"));
    assertThat(resumed.await(10)).as(resumed.log()).isZero();
    assertThat(resumed.log()).containsPattern("Resuming after epoch [12] of run killed");
    JsonNode result = model();
    assertThat(result.get("runId").asText()).isEqualTo("resumed");
    assertThat(result.get("epochs").asInt()).isEqualTo(3);
    assertThat(result.get("testAccuracy").asDouble())
        .isCloseTo(uninterrupted.get("testAccuracy").asDouble(), within(0.03));
  }
}
