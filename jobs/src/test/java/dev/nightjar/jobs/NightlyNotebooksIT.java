package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.jobs.cluster.StandaloneCluster;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.Published;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nights run back to back from the cron wrapper on a small slice, a rerun of the second reuses
 * every stage, and every notebook then executes headlessly against the outputs without an error
 * (notebook 04 asserts that Python's onnxruntime agrees with the predictions table).
 */
class NightlyNotebooksIT {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  @TempDir Path work;

  private int run(Path log, List<String> command) throws Exception {
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
    Process process = builder.start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
    }
    return process.exitValue();
  }

  private int night(String date) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                REPO.resolve("submit/nightly.sh").toString(),
                "--date",
                date,
                "--data",
                FashionMnist.dir(),
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
    return run(work.resolve("stdout-" + date + ".log"), command);
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

  private String log(String date) throws Exception {
    return Files.readString(work.resolve("logs/nightjar-" + date + ".log"));
  }
}
