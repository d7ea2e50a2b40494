package dev.nightjar.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and N workers, each its own JVM started
 * from a Spark home made of jars. Workers launch executors as further JVMs, as on any cluster.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  private final Path sparkHome;
  private final Path workDir;
  private final List<String> opens;
  private final int masterPort;
  private final int webUiPort;

  /** Null for an open cluster. */
  private final ClusterSecret secret;

  private Process master;
  private final List<Process> workers = new ArrayList<>();

  private StandaloneCluster(
      Path sparkHome, Path workDir, List<String> opens, ClusterSecret secret) {
    this.sparkHome = sparkHome;
    this.workDir = workDir;
    this.opens = opens;
    this.secret = secret;
    this.masterPort = freePort();
    this.webUiPort = freePort();
  }

  /** Starts a master and {@code workers} workers and waits until every worker has registered. */
  public static StandaloneCluster start(
      Path sparkHome, Path workDir, int workers, int coresPerWorker, String memoryPerWorker)
      throws IOException, InterruptedException {
    return start(sparkHome, workDir, workers, coresPerWorker, memoryPerWorker, Map.of());
  }

  /**
   * Starts a cluster whose workers also get the given Spark settings, e.g. the GPU resources
   * ({@code spark.worker.resource.gpu.amount} and its discovery script) they offer.
   */
  public static StandaloneCluster start(
      Path sparkHome,
      Path workDir,
      int workers,
      int coresPerWorker,
      String memoryPerWorker,
      Map<String, String> workerConf)
      throws IOException, InterruptedException {
    return start(sparkHome, workDir, workers, coresPerWorker, memoryPerWorker, workerConf, null);
  }

  /**
   * Starts a cluster whose master and workers take only clients that hold {@code secret} and
   * encrypt their traffic, set up as {@code submit/security/spark-daemons.conf} says. Their logs
   * record every authentication, failed or not.
   */
  public static StandaloneCluster startSecured(
      Path sparkHome,
      Path workDir,
      int workers,
      int coresPerWorker,
      String memoryPerWorker,
      ClusterSecret secret)
      throws IOException, InterruptedException {
    return start(sparkHome, workDir, workers, coresPerWorker, memoryPerWorker, Map.of(), secret);
  }

  private static StandaloneCluster start(
      Path sparkHome,
      Path workDir,
      int workers,
      int coresPerWorker,
      String memoryPerWorker,
      Map<String, String> workerConf,
      ClusterSecret secret)
      throws IOException, InterruptedException {
    List<String> opens =
        Arrays.asList(System.getProperty("nightjar.javaOpens").trim().split("\\s+"));
    StandaloneCluster cluster = new StandaloneCluster(sparkHome, workDir, opens, secret);
    try {
      cluster.master =
          cluster.launch(
              "master",
              "org.apache.spark.deploy.master.Master",
              List.of(),
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(cluster.masterPort),
              "--webui-port",
              String.valueOf(cluster.webUiPort));
      List<String> properties =
          workerConf.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
      for (int i = 0; i < workers; i++) {
        cluster.addWorker(coresPerWorker, memoryPerWorker, properties);
      }
      cluster.awaitWorkers(workers, Duration.ofSeconds(90));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /**
   * Each worker's folder, where it keeps the executors' logs: {@code app-id/executor-id/stderr}.
   */
  public Path workerDir(int worker) {
    return workDir.resolve("worker-" + worker);
  }

  public int workerCount() {
    return workers.size();
  }

  /** The master's log: {@code master.log} in the cluster's folder. */
  public Path masterLog() {
    return workDir.resolve("master.log");
  }

  /** The names of the applications the master has registered, running or finished. */
  public List<String> applicationNames() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    JsonNode state =
        new ObjectMapper()
            .readTree(
                HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.ofString())
                    .body());
    List<String> names = new ArrayList<>();
    for (String list : List.of("activeapps", "completedapps")) {
      state.path(list).forEach(app -> names.add(app.path("name").asText()));
    }
    return names;
  }

  /**
   * Kills executor {@code executorId} of application {@code appId} with SIGKILL, as the kernel's
   * out-of-memory killer or a crashed host would, and waits until it is gone. Its worker stays up.
   *
   * @return the worker that had launched it
   */
  public int killExecutor(String appId, String executorId) throws InterruptedException {
    for (int worker = 0; worker < workers.size(); worker++) {
      List<ProcessHandle> matches =
          workers
              .get(worker)
              .descendants()
              .filter(process -> isExecutor(process, appId, executorId))
              .toList();
      if (!matches.isEmpty()) {
        killAndWait(matches);
        return worker;
      }
    }
    throw new IllegalStateException(
        "no running JVM of executor " + executorId + " of " + appId + " under any worker");
  }

  /**
   * Kills worker {@code worker} and the executors it launched with SIGKILL, for good: the worker is
   * not restarted, so its executors are not relaunched either.
   */
  public void killWorker(int worker) throws InterruptedException {
    Process process = workers.get(worker);
    // Listed first: once their worker is gone, orphaned executors are no longer its descendants.
    List<ProcessHandle> executors = process.descendants().toList();
    killAndWait(List.of(process.toHandle()));
    killAndWait(executors);
  }

  /**
   * Whether {@code process} is the JVM of executor {@code executorId} of application {@code appId}.
   */
  private static boolean isExecutor(ProcessHandle process, String appId, String executorId) {
    List<String> args = List.of(process.info().arguments().orElse(new String[0]));
    return args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")
        && appId.equals(valueOf(args, "--app-id"))
        && executorId.equals(valueOf(args, "--executor-id"));
  }

  private static String valueOf(List<String> args, String option) {
    int at = args.indexOf(option);
    return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : null;
  }

  private static void killAndWait(List<ProcessHandle> processes) throws InterruptedException {
    for (ProcessHandle process : processes) {
      process.destroyForcibly();
    }
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(
            "process " + process.pid() + " did not exit after SIGKILL", e);
      }
    }
  }

  private void addWorker(int cores, String memory, List<String> properties) throws IOException {
    int index = workers.size();
    Path dir = Files.createDirectories(workerDir(index));
    workers.add(
        launch(
            "worker-" + index,
            "org.apache.spark.deploy.worker.Worker",
            properties,
            "--host",
            "127.0.0.1",
            "--webui-port",
            String.valueOf(freePort()),
            "--cores",
            String.valueOf(cores),
            "--memory",
            memory,
            "--work-dir",
            dir.toString(),
            masterUrl()));
  }

  private Process launch(String name, String mainClass, List<String> properties, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(opens);
    command.addAll(properties);
    if (secret != null) {
      command.add("-Dlog4j2.configurationFile=" + resource("/secured-daemons-log4j2.properties"));
    }
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(sparkHome.resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    if (secret != null) {
      command.addAll(List.of("--properties-file", secret.daemonProperties().toString()));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.putAll(environment(sparkHome));
    Path log = workDir.resolve(name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }

  /** What every Spark JVM of the cluster needs in its environment. */
  public static Map<String, String> environment(Path sparkHome) {
    return Map.of(
        "SPARK_HOME",
        sparkHome.toString(),
        "SPARK_SCALA_VERSION",
        "2.12",
        "SPARK_LOCAL_IP",
        "127.0.0.1");
  }

  private void awaitWorkers(int expected, Duration timeout)
      throws InterruptedException, IOException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int alive = 0;
    while (System.nanoTime() < deadline) {
      if (!master.isAlive()) {
        throw new IllegalStateException(
            "the Spark master exited: see " + workDir.resolve("master.log"));
      }
      try {
        Matcher matcher =
            ALIVE_WORKERS.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        alive = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        if (alive >= expected) {
          return;
        }
      } catch (IOException e) {
        // The master's web UI is not up yet.
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        alive
            + " of "
            + expected
            + " workers registered within "
            + timeout
            + ": see the logs in "
            + workDir);
  }

  private static String resource(String name) {
    try {
      return Path.of(StandaloneCluster.class.getResource(name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every JVM of the cluster, executors included. */
  @Override
  public void close() {
    List<Process> all = new ArrayList<>(workers);
    if (master != null) {
      all.add(master);
    }
    for (Process process : all) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    for (Process process : all) {
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
