package dev.nightjar.run;

/** Another pipeline holds the lock of the output root. */
public final class LockHeldException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LockHeldException(String message) {
    super(message);
  }
}
