package dev.nightjar.run;

/**
 * A run lost its lease on the output root's lock (it was not renewed in time, or another run took
 * it over), so it must not publish anything. No retry mends it.
 */
public final class LeaseLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message);
  }
}
