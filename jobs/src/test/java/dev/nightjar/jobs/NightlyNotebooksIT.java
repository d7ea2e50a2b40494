package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.jobs.cluster.StandaloneCluster;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.Published;
import dev.nightjar.testing.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nights run back to back from the cron wrapper on a small slice, a rerun of the second reuses
 * every stage, and every notebook then executes headlessly against the outputs without an error
 * (notebook 04 asserts that Python's onnxruntime agrees with the predictions table). Then the same
 * with the data and the output root on S3 (S3Proxy on 127.0.0.1): one night, read by the notebooks
 * through pyarrow's S3 client.
 */
class NightlyNotebooksIT {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  @TempDir Path work;

  private int run(Path log, List<String> command) throws Exception {
    return run(log, command, Map.of());
  }

  private int run(Path log, List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .putAll(StandaloneCluster.environment(Path.of(System.getProperty("nightjar.sparkHome"))));
    builder.environment().put("NIGHTJAR_JOB_JAR", System.getProperty("nightjar.jobJar"));
    builder.environment().put("NIGHTJAR_OUTPUT", work.resolve("output").toString());
    builder.environment().put("NIGHTJAR_MASTER", "local[2]");
    builder.environment().put("NIGHTJAR_SUBMIT_OPTS", "--driver-memory 3g");
    builder.environment().put("NIGHTJAR_LOG_DIR", work.resolve("logs").toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
    }
    return process.exitValue();
  }

  private int night(String date) throws Exception {
    return night(date, FashionMnist.dir(), Map.of(), List.of());
  }

  private int night(String date, String data, Map<String, String> env, List<String> options)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                REPO.resolve("submit/nightly.sh").toString(),
                "--date",
                date,
                "--data",
                data,
                "--conf",
                "data.train-limit=1500",
                "--conf",
                "data.test-limit=300",
                "--conf",
                "train.epochs=1",
                "--conf",
                "optimize.distill.epochs=1",
                "--conf",
                "optimize.filter-fractions=[0.5]",
                "--conf",
                "optimize.throughput-seconds=0.1",
                "--conf",
                "optimize.latency-runs=20"));
    command.addAll(options);
    return run(work.resolve("stdout-" + date + ".log"), command, env);
  }

  @Test
  void twoNightsThenTheNotebooks() throws Exception {
    assertThat(night("2026-05-01")).as(log("2026-05-01")).isZero();
    assertThat(night("2026-05-02")).as(log("2026-05-02")).isZero();
    assertThat(night("2026-05-02")).isZero();
    String rerun = log("2026-05-02");
    assertThat(rerun)
        .containsPattern("prepare +skipped")
        .containsPattern("train +skipped")
        .containsPattern("optimize +skipped")
        .containsPattern("infer +skipped");
    assertThat(Published.path(work.resolve("output"), "reports/run_date=2026-05-02/report.md"))
        .exists();

    Path notebooks = work.resolve("executed");
    int code =
        run(
            work.resolve("notebooks.log"),
            List.of(
                "bash",
                REPO.resolve("submit/lib/run-notebooks.sh").toString(),
                work.resolve("output").toString(),
                notebooks.toString()));
    assertThat(code).as(Files.readString(work.resolve("notebooks.log"))).isZero();
    try (var files = Files.list(notebooks)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(
              "01-nightly-runs.ipynb",
              "02-scaling.ipynb",
              "03-models.ipynb",
              "04-python-serving.ipynb");
    }
    assertThat(Files.readString(notebooks.resolve("01-nightly-runs.ipynb")))
        .contains("image/png")
        .contains("2026-05-02");
    assertThat(Files.readString(notebooks.resolve("03-models.ipynb")))
        .contains("image/png")
        .contains("Pareto front");
    // The notebook asserts the agreement itself; the figure is kept in the log for the record.
    String python = Files.readString(notebooks.resolve("04-python-serving.ipynb"));
    Matcher agreement =
        Pattern.compile("Agreement with Nightjar's predictions: [^\"\\\\]*").matcher(python);
    assertThat(agreement.find()).as(python).isTrue();
    System.out.println(agreement.group());
  }

  @Test
  void aNightOnS3ThenTheNotebooks(@TempDir Path scratch) throws Exception {
    try (S3Server s3 = S3Server.inMemory(scratch)) {
      Configuration conf = s3.configure(new Configuration());
      org.apache.hadoop.fs.Path data = new org.apache.hadoop.fs.Path(s3.uri("data"));
      FileSystem fs = data.getFileSystem(conf);
      try (var files = Files.list(Path.of(FashionMnist.dir()))) {
        for (Path file : files.toList()) {
          fs.copyFromLocalFile(
              new org.apache.hadoop.fs.Path(file.toUri()),
              new org.apache.hadoop.fs.Path(data, file.getFileName().toString()));
        }
      }
      // Endpoint in Spark settings, credentials from the environment: the connector's default
      // chain reads them.
      List<String> sparkConf = new ArrayList<>(List.of("--driver-memory", "3g"));
      for (String key :
          List.of(
              "fs.s3a.endpoint",
              "fs.s3a.endpoint.region",
              "fs.s3a.path.style.access",
              "fs.s3a.connection.ssl.enabled",
              "fs.s3a.bucket.probe")) {
        sparkConf.add("--spark-conf");
        sparkConf.add("spark.hadoop." + key + "=" + s3.settings().get(key));
      }
      Map<String, String> env =
          Map.of(
              "NIGHTJAR_OUTPUT",
              s3.uri("nightjar"),
              "NIGHTJAR_SUBMIT_OPTS",
              String.join(" ", sparkConf),
              "AWS_ACCESS_KEY_ID",
              S3Server.ACCESS_KEY,
              "AWS_SECRET_ACCESS_KEY",
              S3Server.SECRET_KEY);
      Path locks = Files.createDirectories(work.resolve("locks"));
      int code =
          night(
              "2026-05-03",
              data.toString(),
              env,
              List.of("--conf", "pipeline.lock-uri=" + locks.toUri()));
      assertThat(code).as(log("2026-05-03")).isZero();
      assertThat(log("2026-05-03")).contains("Committed infer for 2026-05-03");

      org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(s3.uri("nightjar"));
      org.apache.hadoop.fs.Path predictions =
          PublishedOutputs.resolve(
              conf, root, new org.apache.hadoop.fs.Path(root, "predictions/run_date=2026-05-03"));
      assertThat(predictions.toString()).contains("/_versions/");
      assertThat(fs.listStatus(predictions))
          .extracting(status -> status.getPath().getName())
          .anyMatch(name -> name.endsWith(".parquet"));
      // The S3A committers' _SUCCESS file is a JSON summary naming the committer.
      try (var in = fs.open(new org.apache.hadoop.fs.Path(predictions, "_SUCCESS"))) {
        assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
            .containsPattern("\"committer\"\\s*:\\s*\"magic\"");
      }

      Path notebooks = work.resolve("executed-s3");
      String pyarrowRoot =
          "s3://"
              + s3.bucket()
              + "/nightjar?endpoint_override="
              + s3.endpoint().substring("http://".length())
              + "&scheme=http&region=us-east-1";
      int notebooksCode =
          run(
              work.resolve("notebooks-s3.log"),
              List.of(
                  "bash",
                  REPO.resolve("submit/lib/run-notebooks.sh").toString(),
                  pyarrowRoot,
                  notebooks.toString()),
              Map.of(
                  "AWS_ACCESS_KEY_ID",
                  S3Server.ACCESS_KEY,
                  "AWS_SECRET_ACCESS_KEY",
                  S3Server.SECRET_KEY,
                  // pyarrow's AWS SDK asks for checksums on every read by default, a header
                  // S3Proxy does not implement (HTTP 501); AWS's own S3 serves it.
                  "AWS_RESPONSE_CHECKSUM_VALIDATION",
                  "when_required",
                  "AWS_REQUEST_CHECKSUM_CALCULATION",
                  "when_required"));
      assertThat(notebooksCode).as(Files.readString(work.resolve("notebooks-s3.log"))).isZero();
      assertThat(Files.readString(notebooks.resolve("01-nightly-runs.ipynb")))
          .contains("image/png")
          .contains("2026-05-03");
      assertThat(Files.readString(notebooks.resolve("04-python-serving.ipynb")))
          .contains("Agreement with Nightjar's predictions");
    }
  }

  private String log(String date) throws Exception {
    return Files.readString(work.resolve("logs/nightjar-" + date + ".log"));
  }
}
