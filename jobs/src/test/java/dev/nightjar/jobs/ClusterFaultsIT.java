package dev.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.data.Split;
import dev.nightjar.jobs.cluster.Await;
import dev.nightjar.jobs.cluster.ClusterSecret;
import dev.nightjar.jobs.cluster.DriverUi;
import dev.nightjar.jobs.cluster.DriverUi.Stage;
import dev.nightjar.jobs.cluster.ExecutorLogs;
import dev.nightjar.jobs.cluster.ExecutorLogs.Task;
import dev.nightjar.jobs.cluster.StandaloneCluster;
import dev.nightjar.table.ExampleTable;
import dev.nightjar.testing.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
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
 * Faults on a real standalone cluster of two one-core workers: an executor JVM killed in the middle
 * of training and of inference (on ONNX Runtime, the serving default), the driver killed in the
 * middle of either and the date rerun, and a worker lost for good. Each scenario starts from a copy
 * of an undisturbed run's inputs and is compared with that run: training within a tolerance
 * (parameter averaging is not bit-for-bit repeatable) and with every training example fitted in
 * every epoch, inference row for row.
 */
@Tag("faults")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {
  private static final LocalDate DATE = LocalDate.parse("2026-05-06");
  private static final int EPOCHS = 2;

  /**
   * Test accuracy of 2 epochs on 1,800 images, on 500 test images: undisturbed runs differ by up to
   * about 0.03.
   */
  private static final double TOLERANCE = 0.05;

  private static final double FLOOR = 0.55;
  private static final Duration KILL_WAIT = Duration.ofMinutes(4);
  private static final List<String> SETTINGS =
      List.of(
          "--conf",
          "data.train-limit=2000",
          "--conf",
          "data.test-limit=500",
          "--conf",
          "prepare.partitions=4",
          "--conf",
          "train.epochs=" + EPOCHS,
          // Several averaging rounds per epoch, for faults to land between and within them, at
          // the rate the floor and tolerance above were measured with.
          "--conf",
          "train.averaging-frequency=5",
          "--conf",
          "train.learning-rate=0.001",
          // A quick optimize stage: the int8 variant against the fp32 baseline, served on ONNX
          // Runtime.
          "--conf",
          "optimize.variants=[int8]",
          "--conf",
          "optimize.architectures=[]",
          "--conf",
          "optimize.latency-runs=10",
          "--conf",
          "optimize.throughput-seconds=0.05",
          "--conf",
          "optimize.calibration-images=200");

  @TempDir static Path work;
  private static StandaloneCluster cluster;
  private static ExecutorLogs executorLogs;

  /**
   * NIGHTJAR_CONF_DIR for every job: the repository's conf/, with executors logging their tasks.
   */
  private static Map<String, String> environment;

  private static SparkSession reader;
  private static RunOutputs undisturbed;
  private static JsonNode undisturbedModel;
  private static Map<String, Integer> undisturbedPredictions;

  @BeforeAll
  static void undisturbedRun() throws Exception {
    Path sparkHome = Path.of(System.getProperty("nightjar.sparkHome"));
    // Secured as the standalone profile requires: authentication and encryption on every fault.
    ClusterSecret secret = ClusterSecret.generate(Files.createDirectories(work.resolve("secret")));
    cluster =
        StandaloneCluster.startSecured(
            sparkHome, Files.createDirectories(work.resolve("cluster")), 2, 1, "2g", secret);
    executorLogs = new ExecutorLogs(cluster);
    environment = new HashMap<>(secret.submitEnvironment());
    environment.put(
        "NIGHTJAR_CONF_DIR",
        ExecutorLogs.confWithTaskLogging(SubmittedJob.REPO.resolve("conf"), work.resolve("conf"))
            .toString());
    reader =
        SparkSession.builder()
            .master("local[1]")
            .appName("verify")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    undisturbed = new RunOutputs(work.resolve("undisturbed"), DATE);
    for (String stage : List.of("prepare", "train", "optimize", "infer")) {
      succeed(submit("undisturbed-" + stage, new DriverUi(), stage, undisturbed));
    }
    undisturbedModel = undisturbed.model();
    assertThat(undisturbedModel.get("testAccuracy").asDouble()).isGreaterThan(FLOOR);
    assertEveryExampleFittedInEveryEpoch(undisturbed);
    undisturbedPredictions = predictions(undisturbed);
    assertThat(undisturbedPredictions.keySet()).isEqualTo(inputIds(undisturbed));
  }

  @AfterAll
  static void stop() {
    if (reader != null) {
      reader.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void executorKilledWhileTrainingIsReplacedAndTheModelIsAsGood() throws Exception {
    RunOutputs outputs = scenario("executor-train").copyFrom(undisturbed, RunOutputs::prepared);
    DriverUi ui = new DriverUi();
    SubmittedJob train = submit("executor-train", ui, "train", outputs);
    Task fitting = killExecutorRunning(ui, train, NightjarStages.averagingRound(1));

    succeed(train);
    assertThat(executorDirs(fitting.worker(), fitting.appId()))
        .as("executors its worker ran for the job: the killed one and its replacement")
        .hasSizeGreaterThanOrEqualTo(2);
    assertAsGoodAsUndisturbed(outputs);
  }

  @Test
  @Order(2)
  void executorKilledWhileScoringOnOnnxRuntimeLeavesOneRowPerInput() throws Exception {
    RunOutputs outputs =
        scenario("executor-infer")
            .copyFrom(undisturbed, RunOutputs::prepared)
            .copyFrom(undisturbed, RunOutputs::models)
            .copyFrom(undisturbed, RunOutputs::optimized);
    DriverUi ui = new DriverUi();
    SubmittedJob infer = submit("executor-infer", ui, "infer", outputs);
    killExecutorRunning(ui, infer, NightjarStages.scoring());

    assertThat(succeed(infer)).contains("on onnxruntime");
    assertThat(runIds(outputs)).containsExactly("executor-infer");
    // predictions() fails on a duplicate id; the id set must be the input's, and every row as
    // undisturbed.
    Map<String, Integer> predictions = predictions(outputs);
    assertThat(predictions.keySet()).isEqualTo(inputIds(outputs));
    assertThat(predictions).isEqualTo(undisturbedPredictions);
  }

  @Test
  @Order(3)
  void driverKilledWhileTrainingResumesFromItsCheckpoint() throws Exception {
    RunOutputs outputs =
        scenario("driver-train")
            .copyFrom(undisturbed, RunOutputs::prepared)
            .copyFrom(undisturbed, RunOutputs::models);
    TrainingCrash crash = new TrainingCrash(outputs, EPOCHS);
    DriverUi ui = new DriverUi();
    crash.killInSecondEpoch(submit("driver-train-killed", ui, "train", outputs), ui);

    crash.assertResumed(
        submit("driver-train-resumed", new DriverUi(), "train", outputs, "--resume"),
        "driver-train-killed",
        "driver-train-resumed");
    assertAsGoodAsUndisturbed(outputs);
  }

  @Test
  @Order(4)
  void driverKilledWhileScoringLeavesThePreviousPredictionsAndTheRerunMatches() throws Exception {
    RunOutputs outputs =
        scenario("driver-infer")
            .copyFrom(undisturbed, RunOutputs::prepared)
            .copyFrom(undisturbed, RunOutputs::models)
            .copyFrom(undisturbed, RunOutputs::optimized)
            .copyFrom(undisturbed, RunOutputs::predictions);
    Map<String, String> previous = files(outputs.predictions());
    DriverUi ui = new DriverUi();
    SubmittedJob crashed = submit("driver-infer-killed", ui, "infer", outputs);
    awaitRunningTask(ui, crashed, NightjarStages.scoring());
    crashed.kill();

    assertThat(crashed.log()).as("killed before its commit").doesNotContain("Committed infer for");
    assertThat(files(outputs.predictions()))
        .as("the predictions after the crash: the previous ones, untouched")
        .isEqualTo(previous);

    KilledDriverLock.awaitExpiry();
    succeed(submit("driver-infer-rerun", new DriverUi(), "infer", outputs));
    assertThat(predictions(outputs)).isEqualTo(undisturbedPredictions);
    // The rerun's own rows, not the copied-in ones it would leave if it committed nothing.
    assertThat(runIds(outputs)).containsExactly("driver-infer-rerun");
  }

  /** Runs last: it leaves the cluster with one worker. */
  @Test
  @Order(5)
  void workerLostForGoodWhileTrainingTheOtherFinishes() throws Exception {
    RunOutputs outputs = scenario("worker-lost").copyFrom(undisturbed, RunOutputs::prepared);
    DriverUi ui = new DriverUi();
    SubmittedJob train = submit("worker-lost", ui, "train", outputs);
    Task fitting = awaitRunningTask(ui, train, NightjarStages.averagingRound(1));
    cluster.killWorker(fitting.worker());
    assertThat(executorLogs.finished(fitting))
        .as("the lost worker's task finished first")
        .isFalse();

    succeed(train);
    assertAsGoodAsUndisturbed(outputs);
  }

  /**
   * The committed model trained every epoch on every training example, and is as accurate as the
   * undisturbed one within the tolerance.
   */
  private static void assertAsGoodAsUndisturbed(RunOutputs outputs) throws IOException {
    JsonNode model = outputs.model();
    assertThat(model.get("epochs").asInt()).isEqualTo(EPOCHS);
    assertEveryExampleFittedInEveryEpoch(outputs);
    double accuracy = model.get("testAccuracy").asDouble();
    assertThat(accuracy)
        .isGreaterThan(FLOOR)
        .isCloseTo(undisturbedModel.get("testAccuracy").asDouble(), within(TOLERANCE));
  }

  /**
   * Each epoch in {@code train_metrics} fitted all the training examples, as counted by the tasks
   * that fitted them: a shard dropped (a lost task not rerun) or fitted by a failed task only would
   * show as fewer.
   */
  private static void assertEveryExampleFittedInEveryEpoch(RunOutputs outputs) {
    long trainExamples = outputs.manifest().count(Split.TRAIN);
    List<Row> epochs =
        reader
            .read()
            .parquet(outputs.trainMetrics().toString())
            .orderBy("epoch")
            .select("epoch", "examples_fitted")
            .collectAsList();
    assertThat(epochs)
        .extracting(row -> row.getInt(0))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, EPOCHS).boxed().toList());
    assertThat(epochs)
        .extracting(row -> row.getLong(1))
        .as("examples fitted per epoch, of %d", trainExamples)
        .containsOnly(trainExamples);
  }

  /** The run ids of the date's committed predictions. */
  private static List<String> runIds(RunOutputs outputs) {
    return reader
        .read()
        .parquet(outputs.predictions().toString())
        .select("run_id")
        .distinct()
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  /**
   * Waits until an executor runs a task of a stage that {@code stage} accepts, kills it and checks,
   * from its log, that the task was in flight: Spark must run it again.
   */
  private static Task killExecutorRunning(DriverUi ui, SubmittedJob job, Predicate<Stage> stage)
      throws Exception {
    Task task = awaitRunningTask(ui, job, stage);
    cluster.killExecutor(task.appId(), task.executorId());
    assertThat(executorLogs.finished(task))
        .as("the killed executor's task finished first")
        .isFalse();
    return task;
  }

  /**
   * Waits until an executor runs a task of an active stage that {@code stage} accepts, and returns
   * the task.
   */
  private static Task awaitRunningTask(DriverUi ui, SubmittedJob job, Predicate<Stage> stage)
      throws IOException, InterruptedException {
    return Await.until(
        "a running task of the stage expected",
        () -> {
          Optional<Stage> active = ui.activeStage(stage);
          return active.isEmpty()
              ? Optional.empty()
              : executorLogs.running(active.get().appId(), active.get().id()).stream().findFirst();
        },
        job::isAlive,
        KILL_WAIT);
  }

  private static RunOutputs scenario(String name) {
    return new RunOutputs(work.resolve(name), DATE);
  }

  /**
   * Submits {@code stage} for {@code outputs} to the cluster, with run id and log named {@code
   * name}.
   */
  private static SubmittedJob submit(
      String name, DriverUi ui, String stage, RunOutputs outputs, String... options)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--profile",
                "standalone",
                "--master",
                cluster.masterUrl(),
                "--executor-memory",
                "1g",
                "--executor-offheap",
                "1g",
                "--driver-memory",
                "2g",
                "--spark-conf",
                "spark.eventLog.enabled=false",
                "--spark-conf",
                ui.portSetting(),
                stage,
                "--output",
                outputs.root().toString(),
                "--date",
                DATE.toString(),
                "--run-id",
                name,
                "--data",
                FashionMnist.dir()));
    args.addAll(SETTINGS);
    // The copied-in serving.json names the undisturbed run's model file.
    args.addAll(List.of("--conf", "infer.model-roots=[\"" + undisturbed.root().toUri() + "\"]"));
    args.addAll(KilledDriverLock.SETTINGS);
    args.addAll(List.of(options));
    return SubmittedJob.start(work.resolve(name + ".log"), args, environment);
  }

  /** Waits for {@code job}, which must succeed, and returns its log. */
  private static String succeed(SubmittedJob job) throws IOException, InterruptedException {
    int exitCode = job.await(10);
    String log = job.log();
    assertThat(exitCode).as("exit code; log:%n%s", log).isZero();
    return log;
  }

  /** The predicted label of each id in the run date's predictions; a duplicate id fails. */
  private static Map<String, Integer> predictions(RunOutputs outputs) {
    Map<String, Integer> byId = new HashMap<>();
    for (Row row :
        reader
            .read()
            .parquet(outputs.predictions().toString())
            .select("id", "predicted_label")
            .collectAsList()) {
      assertThat(byId.put(row.getString(0), row.getInt(1)))
          .as("a second prediction for %s", row.getString(0))
          .isNull();
    }
    return byId;
  }

  /** The ids of the split the infer stage scores (the default, test). */
  private static Set<String> inputIds(RunOutputs outputs) {
    return reader
        .read()
        .parquet(outputs.prepared().resolve(ExampleTable.DIR).toString())
        .where(col(ExampleTable.SPLIT).equalTo(Split.TEST.label()))
        .select(ExampleTable.ID)
        .collectAsList()
        .stream()
        .map(row -> row.getString(0))
        .collect(Collectors.toSet());
  }

  /** Every file below {@code dir}, by relative path, with its size and modification time. */
  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(
            dir.relativize(file).toString(),
            Files.size(file) + " bytes, " + Files.getLastModifiedTime(file));
      }
    }
    return files;
  }

  /** The executor folders a worker made for an application: one per executor it launched. */
  private static List<Path> executorDirs(int worker, String appId) throws IOException {
    try (Stream<Path> dirs = Files.list(cluster.workerDir(worker).resolve(appId))) {
      return dirs.filter(Files::isDirectory).toList();
    }
  }
}
