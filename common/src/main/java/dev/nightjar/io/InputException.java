package dev.nightjar.io;

/**
 * An input file's content is wrong: corrupt, truncated or of the wrong kind. The message names the
 * file.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
