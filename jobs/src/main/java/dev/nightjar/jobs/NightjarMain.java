package dev.nightjar.jobs;

import dev.nightjar.jobs.cli.ExitCodes;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.jobs.cli.StageJob;
import dev.nightjar.stage.Stage;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The job jar's one entry point, which {@code submit/nightjar-submit.sh} submits: the first
 * argument names a stage or {@code pipeline}, and the rest go to that job.
 */
public final class NightjarMain {
  static final String PIPELINE = "pipeline";

  private NightjarMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      err.println(
          "Usage: NightjarMain JOB [options]; JOB is a stage ("
              + Stage.labels()
              + ") or "
              + PIPELINE
              + ", and 'NightjarMain JOB --help' lists its options.");
      return args.length == 0 ? ExitCodes.USAGE : ExitCodes.OK;
    }
    StageJob job = job(args[0]);
    if (job == null) {
      err.println(
          "nightjar: configuration error: no job '"
              + args[0]
              + "'; the jobs are "
              + Stage.labels()
              + " and "
              + PIPELINE);
      return ExitCodes.USAGE;
    }
    return JobRunner.commandLine(job).execute(Arrays.copyOfRange(args, 1, args.length));
  }

  /** The job called {@code name}, or null. */
  static StageJob job(String name) {
    if (name.equals(PIPELINE)) {
      return new PipelineJob();
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
