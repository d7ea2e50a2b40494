package dev.nightjar.jobs;

import java.time.Duration;
import java.util.List;

/**
 * A driver killed as a crash kills it never releases the output root's lock, so the next job on the
 * root is refused (exit code 4) until the lease expires. The tests that kill drivers run their jobs
 * with a short lease and wait it out after a kill.
 */
final class KilledDriverLock {
  private static final Duration EXPIRY = Duration.ofSeconds(20);

  /** The jobs' lock settings: a lease of 20 s, renewed every 2 s. */
  static final List<String> SETTINGS =
      List.of(
          "--conf",
          "pipeline.lock-expiry=" + EXPIRY.toSeconds() + "s",
          "--conf",
          "pipeline.lock-renewal=2s");

  private KilledDriverLock() {}

  /** Waits until the lease of a driver killed just now has expired. */
  static void awaitExpiry() throws InterruptedException {
    Thread.sleep(EXPIRY.plusSeconds(2).toMillis());
  }
}
