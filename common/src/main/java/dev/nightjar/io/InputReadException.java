package dev.nightjar.io;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An input could not be read: the file system failed (a timeout, a lost connection), not the
 * content. Unlike {@link InputException}, trying again may mend it. The message names the file.
 */
public final class InputReadException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  public InputReadException(Object path, IOException cause) {
    super("cannot read " + path + ": " + firstLine(cause), cause);
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getName()
        : message.lines().findFirst().orElse("");
  }
}
