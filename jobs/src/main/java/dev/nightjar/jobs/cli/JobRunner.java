package dev.nightjar.jobs.cli;

import dev.nightjar.config.ConfigException;
import dev.nightjar.io.InputException;
import dev.nightjar.io.InputReadException;
import dev.nightjar.io.OutputWriteException;
import dev.nightjar.run.LeaseLostException;
import dev.nightjar.run.LockHeldException;
import dev.nightjar.run.StageFailedException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Parses arguments, runs a job and maps what went wrong to an exit code and one line on stderr (the
 * stack trace only with {@code --stacktrace}). Only a job's {@code main} calls {@code System.exit}.
 */
public final class JobRunner {
  private JobRunner() {}

  /** A command line for {@code job} whose {@code execute} returns the exit code. */
  public static CommandLine commandLine(Object job) {
    CommandLine commandLine = new CommandLine(job);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          String name = cmd.getCommandName();
          PrintWriter err = cmd.getErr();
          boolean stacktrace = parseResult.hasMatchedOption("--stacktrace");
          Throwable cause = unwrap(e);
          err.println(name + ": " + kind(cause) + ": " + message(cause));
          if (stacktrace) {
            cause.printStackTrace(err);
          }
          err.flush();
          return exitCode(cause);
        });
    return commandLine;
  }

  public static int exitCode(Throwable e) {
    if (e instanceof StageFailedException) {
      return exitCode(unwrap(e.getCause()));
    }
    if (e instanceof LockHeldException) {
      return ExitCodes.LOCKED;
    }
    if (e instanceof ConfigException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof InputException) {
      return ExitCodes.BAD_INPUT;
    }
    // A lost lease (LeaseLostException) too: the run stalled past its lease, unlike a refused
    // start.
    return ExitCodes.FAILURE;
  }

  private static String kind(Throwable e) {
    if (e instanceof LockHeldException) {
      return "locked";
    }
    if (e instanceof ConfigException) {
      return "configuration error";
    }
    if (e instanceof InputException) {
      return "bad input";
    }
    return "failed";
  }

  private static String message(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getName()
        : message.lines().findFirst().orElse("");
  }

  /**
   * Spark wraps task failures; the first of our own exceptions in the chain is the one to report.
   */
  private static Throwable unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StageFailedException
          || t instanceof LockHeldException
          || t instanceof LeaseLostException
          || t instanceof ConfigException
          || t instanceof InputException
          || t instanceof InputReadException
          || t instanceof OutputWriteException) {
        return t;
      }
    }
    return e;
  }
}
