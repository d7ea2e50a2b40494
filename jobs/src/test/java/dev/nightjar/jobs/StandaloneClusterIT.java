package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.jobs.cluster.ClusterSecret;
import dev.nightjar.jobs.cluster.CommandLineWatch;
import dev.nightjar.jobs.cluster.StandaloneCluster;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.Published;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline submitted through {@code submit/nightjar-submit.sh --profile standalone} to a real
 * standalone cluster with two workers: executors in separate JVMs prepare, train and infer, with
 * Spark's authentication, RPC and I/O encryption on, and the cluster's secret nowhere in a command
 * line, a log or an output.
 */
class StandaloneClusterIT {
  private static final Pattern TASK_END_EXECUTOR =
      Pattern.compile("\"Event\":\"SparkListenerTaskEnd\".*?\"Executor ID\":\"([^\"]+)\"");

  private static final String SUBMIT_MAIN_CLASS = "org.apache.spark.deploy.SparkSubmit";
  private static final String EXECUTOR_MAIN_CLASS =
      "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  @TempDir static Path work;
  private static ClusterSecret secret;
  private static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    secret = ClusterSecret.generate(Files.createDirectories(work.resolve("secret")));
    cluster =
        StandaloneCluster.startSecured(
            sparkHome(), Files.createDirectories(work.resolve("cluster")), 2, 1, "2g", secret);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Path sparkHome() {
    return Path.of(System.getProperty("nightjar.sparkHome"));
  }

  @Test
  void pipelineRunsOnExecutorsInSeparateJvms() throws Exception {
    Path output = work.resolve("output");
    Path events = Files.createDirectories(work.resolve("events"));
    SubmittedJob submit =
        SubmittedJob.start(
            work.resolve("submit.log"),
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
                "spark.eventLog.enabled=true",
                "--spark-conf",
                "spark.eventLog.dir=" + events.toUri(),
                "pipeline",
                "--output",
                output.toString(),
                "--data",
                FashionMnist.dir(),
                "--date",
                "2026-01-20",
                "--conf",
                "data.train-limit=2000",
                "--conf",
                "data.test-limit=500",
                "--conf",
                "train.epochs=2",
                "--conf",
                "prepare.partitions=4",
                "--conf",
                "optimize.distill.epochs=1",
                "--conf",
                "optimize.filter-fractions=[0.5]",
                "--conf",
                "optimize.throughput-seconds=0.1",
                "--conf",
                "optimize.latency-runs=20"),
            secret.submitEnvironment());
    int exitCode;
    try (CommandLineWatch commandLines =
        CommandLineWatch.start(
            Duration.ofMillis(500), secret.value(), SUBMIT_MAIN_CLASS, EXECUTOR_MAIN_CLASS)) {
      exitCode = submit.await(15);
      assertThat(commandLines.seen(SUBMIT_MAIN_CLASS))
          .as("the driver's command line was looked at")
          .isNotEmpty();
      assertThat(commandLines.seen(EXECUTOR_MAIN_CLASS))
          .as("the executors' command lines were looked at")
          .isNotEmpty();
      assertThat(commandLines.seen(secret.value()))
          .as("command lines showing the secret")
          .isEmpty();
    }
    String log = submit.log();
    assertThat(exitCode).as("exit code; log:%n%s", log).isZero();
    assertThat(log).contains("stage", "prepare", "train", "optimize", "infer", "test accuracy");

    // The application ran authenticated and encrypted, and Spark redacted the secret from its
    // settings.
    assertThat(environmentUpdates(events))
        .isNotEmpty()
        .allSatisfy(
            settings ->
                assertThat(settings)
                    .contains(
                        "\"spark.authenticate\":\"true\"",
                            "\"spark.network.crypto.enabled\":\"true\"",
                        "\"spark.io.encryption.enabled\":\"true\"",
                            "\"spark.authenticate.secret\":\"*********(redacted)\""));

    // Tasks ran on both executors and none in the driver.
    Set<String> executors = taskExecutors(events);
    assertThat(executors).as("executors that ran tasks").hasSize(2).doesNotContain("driver");
    // Each executor JVM loaded the serving model itself, on ONNX Runtime, for inference.
    assertThat(executorLogsContaining("on onnxruntime from")).isEqualTo(2);

    try (SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("verify")
            .config("spark.ui.enabled", "false")
            .getOrCreate()) {
      Dataset<Row> predictions = Published.table(spark, output, "predictions");
      assertThat(predictions.count()).isEqualTo(500);
      assertThat(predictions.select("id").distinct().count()).isEqualTo(500);
      double accuracy =
          predictions
              .selectExpr("avg(cast(label = predicted_label as double))")
              .first()
              .getDouble(0);
      assertThat(accuracy).as("accuracy far above chance").isGreaterThan(0.4);
      assertThat(
              Published.table(spark, output, "metrics")
                  .where("stage = 'train' and name = 'test_accuracy'")
                  .count())
          .isEqualTo(1);
      assertThat(Published.table(spark, output, "runs").where("status = 'ok'").count())
          .isEqualTo(4);
      assertThat(Published.table(spark, output, "model_variants").where("selected").count())
          .isEqualTo(1);
    }
    // Owner-only, from the driver and from the executors alike.
    for (Path file :
        List.of(
            Published.path(output, "models/run_date=2026-01-20/model.zip"),
            Files.list(Published.path(output, "predictions/run_date=2026-01-20"))
                .filter(f -> f.toString().endsWith(".parquet"))
                .findFirst()
                .orElseThrow())) {
      assertThat(Files.getPosixFilePermissions(file))
          .as(file.toString())
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
    Path report = Published.path(output, "reports/run_date=2026-01-20");
    assertThat(report.resolve("report.md"))
        .content()
        .contains("| train | ok |", "![accuracy](accuracy.png)");
    assertThat(report.resolve("report.md"))
        .content()
        .contains("## Model variants", "![model variants](model-variants.png)");
    for (String png :
        List.of(
            "stage-timings.png",
            "accuracy.png",
            "loss.png",
            "predicted-classes.png",
            "model-variants.png")) {
      assertThat(report.resolve(png)).isNotEmptyFile();
    }
    // Neither the logs of the driver, the daemons and the executors, nor the event log and the
    // outputs.
    assertThat(secret.filesContainingIt(work)).as("files holding the secret").isEmpty();
  }

  /** The Spark settings each application of the event logs ran with, one JSON line each. */
  private static List<String> environmentUpdates(Path events) throws IOException {
    try (Stream<Path> files = Files.list(events)) {
      List<String> updates = new ArrayList<>();
      for (Path file : files.toList()) {
        Files.readAllLines(file).stream()
            .filter(line -> line.contains("\"Event\":\"SparkListenerEnvironmentUpdate\""))
            .forEach(updates::add);
      }
      return updates;
    }
  }

  private static Set<String> taskExecutors(Path events) throws IOException {
    Set<String> executors = new TreeSet<>();
    try (Stream<Path> files = Files.list(events)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file)) {
          Matcher matcher = TASK_END_EXECUTOR.matcher(line);
          if (matcher.find()) {
            executors.add(matcher.group(1));
          }
        }
      }
    }
    return executors;
  }

  private static long executorLogsContaining(String text) throws IOException {
    long count = 0;
    for (int worker = 0; worker < cluster.workerCount(); worker++) {
      try (Stream<Path> files = Files.walk(cluster.workerDir(worker))) {
        for (Path stderr :
            files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
          if (Files.readString(stderr).contains(text)) {
            count++;
          }
        }
      }
    }
    return count;
  }
}
