package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.jobs.cluster.MiniYarn;
import dev.nightjar.model.ModelStore;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.Published;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline submitted through {@code submit/nightjar-submit.sh --profile yarn} to Hadoop's own
 * mini clusters (YARN over HDFS, {@link MiniYarn}), in client and in cluster deploy mode, reading
 * Fashion-MNIST from HDFS and writing its outputs there. The clients find the clusters only through
 * {@code HADOOP_CONF_DIR} and {@code YARN_CONF_DIR}. It proves, from the ResourceManager's reports
 * and the NodeManager's container logs and launch scripts, that the executors (and in cluster mode
 * the driver) ran in YARN containers; that in cluster mode nightjar.conf, the environment file and
 * the log settings reached the driver and the executors from the submitting host; and that a job
 * failing on its settings in cluster mode exits with code 2.
 */
@Tag("faults")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnClusterIT {
  private static final LocalDate DATE = LocalDate.parse("2026-02-10");

  /**
   * The prefix of every line the shipped log settings write: where a JVM's log shows it, they
   * reached it.
   */
  private static final String LOG_MARK = "[nightjar-yarn-test] ";

  private static final String SUBMIT_MAIN_CLASS = "org.apache.spark.deploy.yarn.ApplicationMaster";
  private static final String EXECUTOR_MAIN_CLASS =
      "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend";

  @TempDir static Path work;
  private static MiniYarn cluster;
  private static Map<String, String> environment;
  private static Path envFile;
  private static String user;

  @BeforeAll
  static void startClusters() throws Exception {
    // 12 GB: the driver's container in cluster mode (2g heap + 2g overhead) and two executors (1g +
    // 2g each).
    cluster = MiniYarn.start(work.resolve("clusters"), 12288);
    FileSystem fs = cluster.fileSystem();
    user = System.getProperty("user.name");
    // What a cluster's administrators set up: the users' home folders, where Spark stages its
    // files,
    // and the shared event log folder of the yarn profile.
    fs.mkdirs(new org.apache.hadoop.fs.Path("/user/" + user), new FsPermission((short) 0700));
    fs.mkdirs(new org.apache.hadoop.fs.Path("/spark-history"));
    fs.setPermission(
        new org.apache.hadoop.fs.Path("/spark-history"), new FsPermission((short) 01777));
    for (Path file : localFashionMnist()) {
      fs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(file.toString()),
          new org.apache.hadoop.fs.Path("/data/fashion-mnist/" + file.getFileName()));
    }

    // Settings that exist on the submitting host only: a conf folder whose nightjar.conf picks the
    // network and whose log settings mark every line, and an environment file with the learning
    // rate.
    Path conf = Files.createDirectories(work.resolve("conf"));
    try (Stream<Path> files = Files.list(SubmittedJob.REPO.resolve("conf"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, conf.resolve(file.getFileName()));
      }
    }
    Files.writeString(conf.resolve("nightjar.conf"), "nightjar.train.model = \"tiny-cnn\"\n");
    Path log4j = conf.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        Files.readString(log4j)
            .replace(
                "appender.console.layout.pattern = ",
                "appender.console.layout.pattern = " + LOG_MARK));
    envFile =
        Files.writeString(
            work.resolve("yarn-test.conf"), "nightjar.train.learning-rate = 0.0015\n");

    environment =
        new HashMap<>(
            Map.of(
                "HADOOP_CONF_DIR",
                cluster.confDir().toString(),
                "YARN_CONF_DIR",
                cluster.confDir().toString(),
                "NIGHTJAR_CONF_DIR",
                conf.toString()));
  }

  @AfterAll
  static void stopClusters() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<Path> localFashionMnist() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(FashionMnist.dir()))) {
      return files.filter(file -> file.getFileName().toString().contains("-ubyte")).toList();
    }
  }

  /**
   * nightjar-submit.sh with the yarn profile in {@code mode}, sized for the mini cluster, then
   * {@code jobArgs}.
   */
  private static SubmittedJob submit(String name, String mode, List<String> jobArgs)
      throws IOException {
    Path sparkHome = Path.of(System.getProperty("nightjar.sparkHome"));
    String javaHome = System.getProperty("java.home");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--profile",
                "yarn",
                "--deploy-mode",
                mode,
                "--executor-memory",
                "1g",
                "--executor-offheap",
                "1g",
                "--driver-memory",
                "2g",
                "--driver-offheap",
                "1g",
                "--spark-conf",
                "spark.executor.instances=2",
                // The NodeManager shares this host, so its containers take Spark's jars from where
                // they are
                // rather than from a copy uploaded for each application (as spark.yarn.archive
                // would be).
                "--spark-conf",
                "spark.yarn.jars=local:" + sparkHome.resolve("jars") + "/*",
                "--spark-conf",
                "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
                "--spark-conf",
                "spark.executorEnv.JAVA_HOME=" + javaHome,
                "--spark-conf",
                "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--spark-conf",
                "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--spark-conf",
                "spark.yarn.am.memory=512m"));
    args.addAll(jobArgs);
    return SubmittedJob.start(work.resolve(name + ".log"), args, environment);
  }

  private static List<String> pipeline(String output) {
    return List.of(
        "pipeline",
        "--output",
        output,
        "--data",
        "hdfs:///data/fashion-mnist",
        "--date",
        DATE.toString(),
        "--env-file",
        envFile.toString(),
        "--conf",
        "data.train-limit=1000",
        "--conf",
        "data.test-limit=300",
        "--conf",
        "prepare.partitions=2",
        "--conf",
        "train.workers=2",
        "--conf",
        "train.epochs=1",
        "--conf",
        "optimize.variants=[fp16]",
        "--conf",
        "optimize.architectures=[tiny-cnn]",
        "--conf",
        "optimize.latency-runs=10",
        "--conf",
        "optimize.throughput-seconds=0.1");
  }

  @Test
  @Order(1)
  void pipelineInClientModeRunsItsExecutorsInYarnContainers() throws Exception {
    SubmittedJob job = submit("client", "client", pipeline("hdfs:///nightjar/client"));
    int exitCode = job.await(10);
    assertThat(exitCode).as("exit code; log:%n%s", job.log()).isZero();
    assertThat(job.log()).contains("test accuracy");

    ApplicationReport app = onlyNewApplication(0);
    assertThat(app.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
    assertThat(containers(app, SUBMIT_MAIN_CLASS))
        .as("the driver ran here, not in a container")
        .isEmpty();
    assertExecutorsRanTheTasksInContainers(app);
    assertOutputs("/nightjar/client");
  }

  @Test
  @Order(2)
  void pipelineInClusterModeTakesItsSettingsAlongAndRunsTheDriverInAContainer() throws Exception {
    SubmittedJob job = submit("cluster", "cluster", pipeline("hdfs:///nightjar/cluster"));
    int exitCode = job.await(10);
    assertThat(exitCode).as("exit code; log:%n%s", job.log()).isZero();

    ApplicationReport app = onlyNewApplication(1);
    assertThat(app.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
    List<Path> drivers = containers(app, SUBMIT_MAIN_CLASS);
    assertThat(drivers).as("the driver's container").hasSize(1);
    Path driver = drivers.get(0);
    assertThat(driver.resolve("stdout")).content().contains("test accuracy", "finished.");
    // The shipped log settings, by their mark, and nightjar.conf and the environment file, by the
    // settings the trained model records.
    assertThat(Files.readString(driver.resolve("stderr"))).contains(LOG_MARK);
    JsonNode model =
        new ObjectMapper()
            .readTree(
                read(
                    "/nightjar/cluster",
                    layout -> layout.models().toString() + "/" + ModelStore.METADATA_FILE));
    assertThat(model.get("architecture").asText())
        .as("train.model from nightjar.conf")
        .isEqualTo("tiny-cnn");
    assertThat(model.get("config").findValues("learning-rate"))
        .as("train.learning-rate from the environment file")
        .extracting(JsonNode::asDouble)
        .contains(0.0015);
    assertExecutorsRanTheTasksInContainers(app);
    assertOutputs("/nightjar/cluster");
    assertThat(
            cluster
                .fileSystem()
                .listStatus(new org.apache.hadoop.fs.Path("/user/" + user + "/.nightjar/outcomes")))
        .as("the driver's outcome, read and removed")
        .isEmpty();
  }

  @Test
  @Order(3)
  void badSettingsInClusterModeExitWithTwo() throws Exception {
    List<String> args = new ArrayList<>(pipeline("hdfs:///nightjar/bad"));
    args.addAll(List.of("--conf", "train.epochs=0"));
    SubmittedJob job = submit("bad-settings", "cluster", args);
    int exitCode = job.await(5);
    String log = job.log();
    assertThat(exitCode).as("exit code; log:%n%s", log).isEqualTo(2);

    ApplicationReport app = onlyNewApplication(2);
    assertThat(app.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
    // One line says which application and which setting, as the job said it in its container.
    assertThat(
            log.lines()
                .filter(
                    line ->
                        line.startsWith(
                            "nightjar-submit: "
                                + app.getApplicationId()
                                + " FAILED, exit code 2: ")))
        .singleElement()
        .asString()
        .contains("configuration error", "train.epochs");
    assertThat(cluster.fileSystem().exists(new org.apache.hadoop.fs.Path("/nightjar/bad")))
        .as("nothing written")
        .isFalse();
  }

  /** The application the ResourceManager accepted as the {@code index}-th of this class. */
  private static ApplicationReport onlyNewApplication(int index) throws Exception {
    List<ApplicationReport> apps = cluster.applications();
    assertThat(apps).as("applications so far").hasSize(index + 1);
    ApplicationReport app = apps.get(index);
    assertThat(app.getApplicationType()).isEqualTo("SPARK");
    assertThat(app.getQueue()).isEqualTo("default");
    return app;
  }

  /** The log folders of the application's containers whose launch script runs {@code mainClass}. */
  private static List<Path> containers(ApplicationReport app, String mainClass) throws IOException {
    List<Path> matching = new ArrayList<>();
    for (Path container : cluster.containerLogDirs(app.getApplicationId().toString())) {
      Path script = container.resolve("launch_container.sh");
      if (Files.exists(script) && Files.readString(script).contains(mainClass)) {
        matching.add(container);
      }
    }
    return matching;
  }

  /**
   * Two executors, each in a container the NodeManager launched, set up by Nightjar's plugin and
   * logging through the shipped settings; at least one loaded the serving model to score with.
   */
  private static void assertExecutorsRanTheTasksInContainers(ApplicationReport app)
      throws IOException {
    List<Path> executors = containers(app, EXECUTOR_MAIN_CLASS);
    assertThat(executors)
        .as("executor containers of %s", app.getApplicationId())
        .hasSizeGreaterThanOrEqualTo(2);
    List<String> logs = new ArrayList<>();
    for (Path executor : executors) {
      logs.add(Files.readString(executor.resolve("stderr")));
    }
    assertThat(logs)
        .allSatisfy(
            log ->
                assertThat(log)
                    .contains(LOG_MARK)
                    .containsPattern("Executor \\d+: ND4J limited to 1 thread"));
    assertThat(logs).anySatisfy(log -> assertThat(log).contains("on onnxruntime from"));
  }

  private static void assertOutputs(String root) throws IOException {
    String uri = cluster.hdfs().uri() + root;
    try (SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("verify")
            .config("spark.ui.enabled", "false")
            .getOrCreate()) {
      assertThat(Published.table(spark, uri, "predictions").count()).isEqualTo(300);
      assertThat(Published.table(spark, uri, "runs").where("status = 'ok'").count()).isEqualTo(4);
    }
  }

  private interface PathOf {
    String in(OutputLayout layout);
  }

  private static String read(String root, PathOf file) throws IOException {
    OutputLayout layout = new OutputLayout(cluster.hdfs().uri() + root, DATE);
    org.apache.hadoop.fs.Path published =
        PublishedOutputs.resolve(
            cluster.fileSystem().getConf(),
            layout.rootPath(),
            new org.apache.hadoop.fs.Path(file.in(layout)));
    try (var in = cluster.fileSystem().open(published)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
