package dev.nightjar.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.Optional;
import org.apache.hadoop.hdfs.protocol.DSQuotaExceededException;
import org.apache.hadoop.hdfs.protocol.NSQuotaExceededException;
import org.apache.hadoop.hdfs.protocol.QuotaExceededException;
import org.apache.hadoop.security.AccessControlException;

/**
 * An output could not be written. The message names the path and says why in words first, e.g.
 * {@code cannot write hdfs://nn/nightjar/_staging/r1/predictions/run_date=D: disk quota exceeded
 * (The DiskSpace quota of /nightjar is exceeded: ...)}: the file system's own message follows in
 * brackets, cut to its first line (an HDFS error carries the NameNode's stack trace in its
 * message).
 */
public final class OutputWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String path;

  public OutputWriteException(Object path, Throwable cause) {
    super("cannot write " + path + ": " + reason(cause), cause);
    this.path = String.valueOf(path);
  }

  /** The file or folder that could not be written. */
  public String path() {
    return path;
  }

  /**
   * The write failure in the chain of a failed write into {@code path}: the {@code
   * OutputWriteException} of a task (Spark buries it in a job abort message of stack traces), or
   * one naming {@code path} when the file system refused the write (a quota, permissions, a full
   * disk); empty when the failure is something else.
   */
  public static Optional<OutputWriteException> find(Object path, Throwable failure) {
    if (failure instanceof OutputWriteException own) {
      return Optional.of(own);
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OutputWriteException task) {
        return Optional.of(new OutputWriteException(task.path(), failure));
      }
    }
    return refusal(failure).map(reason -> new OutputWriteException(path, failure));
  }

  /**
   * The refusal in {@code cause}'s chain in words with the file system's message, or the cause's
   * own first line.
   */
  static String reason(Throwable cause) {
    return refusal(cause).orElseGet(() -> firstLine(cause));
  }

  private static Optional<String> refusal(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String words = refusalWords(t);
      if (words != null) {
        return Optional.of(words + " (" + firstLine(t) + ")");
      }
    }
    return Optional.empty();
  }

  private static String refusalWords(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    if (t instanceof DSQuotaExceededException) {
      return "disk quota exceeded";
    }
    if (t instanceof NSQuotaExceededException) {
      return "quota on the number of files exceeded";
    }
    if (t instanceof QuotaExceededException) {
      return "quota exceeded";
    }
    // HDFS's refusal, java.nio's, and java.io's (a FileNotFoundException "... (Permission
    // denied)").
    if (t instanceof AccessControlException
        || t instanceof AccessDeniedException
        || t instanceof IOException && message.contains("Permission denied")) {
      return "permission denied";
    }
    if (t instanceof IOException && message.contains("No space left on device")) {
      return "no space left on device";
    }
    return null;
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getName()
        : message.lines().findFirst().orElse("");
  }
}
