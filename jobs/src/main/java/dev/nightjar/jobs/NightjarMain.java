package dev.nightjar.jobs;

import dev.nightjar.jobs.cli.ExitCodes;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.jobs.cli.YarnOutcome;
import dev.nightjar.jobs.registry.ModelsCommand;
import dev.nightjar.jobs.registry.PromoteCommand;
import dev.nightjar.jobs.registry.RollbackCommand;
import dev.nightjar.stage.Stage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.spark.SparkUserAppException;

/**
 * The job jar's one entry point, which {@code submit/nightjar-submit.sh} submits: the first
 * argument names a stage or {@code pipeline}, and the rest go to that job.
 */
public final class NightjarMain {
  static final String PIPELINE = "pipeline";

  /** The model registry's commands, which start no Spark application. */
  static final String REGISTRY_COMMANDS = "models, promote and rollback";

  private NightjarMain() {}

  public static void main(String[] args) throws SparkUserAppException {
    if (!YarnOutcome.isYarnClusterDriver()) {
      System.exit(run(args, System.err));
    }
    // In YARN's cluster deploy mode this is a thread of the ApplicationMaster, which takes the
    // application's final status from how main ends: returning is SUCCEEDED; System.exit, whatever
    // its code, is FAILED; SparkUserAppException(code) is FAILED with that code, as Spark's own
    // runners report an exit code. The code and the job's error line are also left for the
    // submitter.
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    int code =
        run(
            args,
            new PrintStream(
                new TeeOutputStream(System.err, written), true, StandardCharsets.UTF_8));
    YarnOutcome.record(
        code, code == ExitCodes.OK ? "" : firstLine(written.toString(StandardCharsets.UTF_8)));
    if (code != ExitCodes.OK) {
      throw new SparkUserAppException(code);
    }
  }

  private static String firstLine(String text) {
    return text.lines().filter(line -> !line.isBlank()).findFirst().orElse("");
  }

  /** Writes to two streams, e.g. stderr and a copy the caller reads afterwards. */
  private static final class TeeOutputStream extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    TeeOutputStream(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }

  static int run(String[] args, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      err.println(
          "Usage: NightjarMain JOB [options]; JOB is a stage ("
              + Stage.labels()
              + "), "
              + PIPELINE
              + ", or a registry command ("
              + REGISTRY_COMMANDS
              + "), and 'NightjarMain JOB --help' lists its options.");
      return args.length == 0 ? ExitCodes.USAGE : ExitCodes.OK;
    }
    Object job = job(args[0]);
    if (job == null) {
      err.println(
          "nightjar: configuration error: no job '"
              + args[0]
              + "'; the jobs are "
              + Stage.labels()
              + ", "
              + PIPELINE
              + " and the registry's "
              + REGISTRY_COMMANDS);
      return ExitCodes.USAGE;
    }
    return JobRunner.commandLine(job)
        .setErr(new PrintWriter(err, true))
        .execute(Arrays.copyOfRange(args, 1, args.length));
  }

  /** The job called {@code name} (a picocli command), or null. */
  static Object job(String name) {
    switch (name) {
      case PIPELINE:
        return new PipelineJob();
      case "models":
        return new ModelsCommand();
      case "promote":
        return new PromoteCommand();
      case "rollback":
        return new RollbackCommand();
      default:
        break;
    }
    for (Stage stage : Stage.values()) {
      if (stage.label().equals(name)) {
        return switch (stage) {
          case PREPARE -> new PrepareJob();
          case TRAIN -> new TrainJob();
          case OPTIMIZE -> new OptimizeJob();
          case INFER -> new InferJob();
        };
      }
    }
    return null;
  }
}
