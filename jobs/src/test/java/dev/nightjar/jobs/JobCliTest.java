package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.io.InputReadException;
import dev.nightjar.io.OutputWriteException;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.run.Lease;
import dev.nightjar.run.PipelineLock;
import dev.nightjar.run.StageFailedException;
import dev.nightjar.testing.FashionMnist;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Argument and configuration errors end before Spark starts, with one line and exit code 2. */
class JobCliTest {
  @TempDir Path output;

  private record Outcome(int exitCode, String out, String err) {}

  private Outcome run(Callable<Integer> job, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = JobRunner.commandLine(job);
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheSharedOptions() {
    Outcome outcome = run(new PipelineJob(), "--help");
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out())
        .contains(
            "--conf=KEY=VALUE", "--output=URI", "--date=YYYY-MM-DD", "--env-file", "--master");
  }

  @Test
  void unknownKeyFailsWithOneLineNamingIt() {
    Outcome outcome = run(new TrainJob(), "--output", output.toString(), "--conf", "train.epoch=2");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err())
        .startsWith("nightjar-train: configuration error: unknown key nightjar.train.epoch");
  }

  @Test
  void wrongTypeFailsNamingTheKey() {
    Outcome outcome = run(new PrepareJob(), "--conf", "prepare.shard-size=lots");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("nightjar.prepare.shard-size").contains("lots");
  }

  @Test
  void missingSourceFailsNamingThePath() {
    Outcome outcome =
        run(
            new PipelineJob(),
            "--output",
            output.toString(),
            "--data",
            output.resolve("nowhere").toString());
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err())
        .contains("input file not found")
        .contains(output.resolve("nowhere").toString());
  }

  @Test
  void trainWithoutPreparedDataFailsNamingTheManifest() {
    Outcome outcome = run(new TrainJob(), "--output", output.toString(), "--date", "2026-02-03");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("prepared/run_date=2026-02-03/_manifest.json not found");
    assertThat(output).isEmptyDirectory();
  }

  @Test
  void aJobOnARootAnotherJobHoldsExitsWithItsOwnCode() throws Exception {
    try (Lease running =
        PipelineLock.acquire(
            new org.apache.hadoop.conf.Configuration(),
            ConfigLoader.fromOverrides("output-root=" + output, "run-id=running"))) {
      Outcome pipeline =
          run(new PipelineJob(), "--output", output.toString(), "--data", FashionMnist.dir());
      assertThat(pipeline.exitCode()).isEqualTo(4);
      assertThat(pipeline.err())
          .startsWith("nightjar-pipeline: locked: another run holds the lock")
          .contains("run running");
      // A stage's own job takes the same lock.
      Outcome prepare =
          run(new PrepareJob(), "--output", output.toString(), "--data", FashionMnist.dir());
      assertThat(prepare.exitCode()).isEqualTo(4);
      assertThat(prepare.err()).startsWith("nightjar-prepare: locked: another run holds the lock");
    }
    assertThat(output).isDirectoryNotContaining("glob:**/{prepared,_commits}");
  }

  /**
   * Each a bad value of a real key: one line on stderr naming the key, exit code 2, nothing
   * written.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "train.epochs=0                    | nightjar.train.epochs",
        "train.learning-rate=-0.1          | nightjar.train.learning-rate",
        "train.workers=many                | nightjar.train.workers",
        "prepare.validation-fraction=1.5   | nightjar.prepare.validation-fraction",
        "optimize.tolerance-points=-1      | nightjar.optimize.tolerance-points",
        "optimize.filter-fractions=[0.95]  | nightjar.optimize.filter-fractions",
        "optimize.filter-multiple=0        | nightjar.optimize.filter-multiple",
        "optimize.variants=[int4]          | nightjar.optimize.variants",
        "infer.engine=tensorrt             | nightjar.infer.engine",
        "infer.batch-size=0                | nightjar.infer.batch-size",
        "run-id=../escape                  | nightjar.run-id",
      })
  void badValueFailsWithOneLineNamingTheKey(String setting, String key) {
    Outcome outcome = run(new PipelineJob(), "--output", output.toString(), "--conf", setting);
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(outcome.err()).startsWith("nightjar-pipeline: configuration error: ").contains(key);
    assertThat(output).isEmptyDirectory();
  }

  @Test
  void badValueInAnEnvFileFailsNamingTheKey() throws Exception {
    Path conf = output.resolveSibling(output.getFileName() + ".conf");
    java.nio.file.Files.writeString(conf, "nightjar.infer.top-k = -3\n");
    try {
      Outcome outcome =
          run(new InferJob(), "--output", output.toString(), "--env-file", conf.toString());
      assertThat(outcome.exitCode()).isEqualTo(2);
      assertThat(outcome.err().lines()).hasSize(1);
      assertThat(outcome.err()).contains("nightjar.infer.top-k");
      assertThat(output).isEmptyDirectory();
    } finally {
      java.nio.file.Files.deleteIfExists(conf);
    }
  }

  @Test
  void aWriteTheFileSystemRefusedIsOneLineNamingThePathAndWhy() {
    OutputWriteException refused =
        new OutputWriteException(
            "hdfs://nn/nightjar/prepared/run_date=2026-02-03",
            new AccessControlException(
                "Permission denied: user=analyst, access=WRITE, inode=\"/nightjar\":etl:etl:drwxr-xr-x"
                    + "\n\tat org.apache.hadoop.hdfs.server.namenode.FSPermissionChecker.check(FSPermissionChecker.java:506)"));
    Outcome outcome =
        run(new FailingJob(new SparkException("Job aborted due to stage failure: ...", refused)));
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err())
        .isEqualTo(
            "nightjar-failing: failed: cannot write hdfs://nn/nightjar/prepared/run_date=2026-02-03: "
                + "permission denied (Permission denied: user=analyst, access=WRITE, inode=\"/nightjar\":etl:etl:drwxr-xr-x)"
                + System.lineSeparator());
  }

  @Test
  void aReadThatFailedIsAFailureNotBadInput() {
    StageFailedException failed =
        new StageFailedException(
            "train",
            3,
            new InputReadException(
                "hdfs://nn/nightjar/prepared/run_date=2026-02-03/_manifest.json",
                new java.net.SocketTimeoutException("Read timed out")));
    Outcome outcome = run(new FailingJob(failed));
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err())
        .startsWith("nightjar-failing: failed: stage train failed after 3 attempts: ")
        .contains(
            "cannot read hdfs://nn/nightjar/prepared/run_date=2026-02-03/_manifest.json: Read timed out");
  }

  /** A job that fails as a stage does when Spark wraps what a task threw. */
  @CommandLine.Command(name = "nightjar-failing")
  private record FailingJob(Exception failure) implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      throw failure;
    }
  }

  @Test
  void badDateAndUnknownOptionAreUsageErrors() {
    assertThat(run(new InferJob(), "--date", "yesterday").exitCode()).isEqualTo(2);
    assertThat(run(new InferJob(), "--no-such-option").exitCode()).isEqualTo(2);
  }
}
