package dev.nightjar.jobs.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Polls for a point a running job reaches, e.g. a stage with tasks running, at which a test acts.
 */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(100);

  /** One look: what was found, or empty to look again. */
  @FunctionalInterface
  public interface Probe<T> {
    Optional<T> look() throws IOException, InterruptedException;
  }

  private Await() {}

  /**
   * Looks until {@code probe} finds something and returns it.
   *
   * @param what what is awaited, for the failure message
   * @param alive whether the job is still running; once it is not, waiting fails at once
   */
  public static <T> T until(String what, Probe<T> probe, BooleanSupplier alive, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (alive.getAsBoolean()) {
      Optional<T> found = probe.look();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + timeout + ": " + what);
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new AssertionError("the job ended before " + what);
  }
}
