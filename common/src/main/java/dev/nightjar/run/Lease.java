package dev.nightjar.run;

import dev.nightjar.config.PipelineConfig;
import dev.nightjar.io.CommitFence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held lock: a daemon thread renews it every {@code pipeline.lock-renewal} by touching its
 * generation's file, and every commit of the run asks {@link #check} first. A lease that could not
 * be renewed for the expiry less one renewal is given up for good, so the holder stops committing
 * at least one renewal before anyone may take it over.
 */
public final class Lease implements CommitFence, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lease.class);

  private final LockFolder folder;
  private final LeaseRecord record;
  private final Duration expiry;
  private final Duration renewal;
  private final Clock clock;
  private final ScheduledExecutorService renewer;
  private volatile Instant renewedAt;
  private volatile String lost;

  private Lease(
      LockFolder folder,
      LeaseRecord record,
      Instant renewedAt,
      PipelineConfig settings,
      Clock clock) {
    this.folder = folder;
    this.record = record;
    this.renewedAt = renewedAt;
    this.expiry = settings.lockExpiry();
    this.renewal = settings.lockRenewal();
    this.clock = clock;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "nightjar-lease-" + record.runId());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A lease whose file was created at {@code createdAt}, renewing from now on. */
  static Lease start(
      LockFolder folder,
      LeaseRecord record,
      Instant createdAt,
      PipelineConfig settings,
      Clock clock) {
    Lease lease = new Lease(folder, record, createdAt, settings, clock);
    long every = lease.renewal.toMillis();
    lease.renewer.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
    return lease;
  }

  public long generation() {
    return record.generation();
  }

  public String runId() {
    return record.runId();
  }

  /** The file whose modification time is this lease's last renewal. */
  public Path file() {
    return folder.file(record.generation());
  }

  private void renew() {
    if (lost != null || overdue()) {
      return;
    }
    Instant at = clock.instant();
    try {
      String taken = whyNotHeld();
      if (taken != null) {
        lose(taken);
        return;
      }
      folder.touch(record.generation(), at);
      renewedAt = at;
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not renew the lease {} of run {}: {}", file(), record.runId(), e.getMessage());
    }
  }

  /** Whether the lease went unrenewed for too long to be trusted; it is then lost for good. */
  private boolean overdue() {
    Duration silent = Duration.between(renewedAt, clock.instant());
    if (silent.compareTo(expiry.minus(renewal)) > 0) {
      lose(
          "it was not renewed for "
              + silent.toSeconds()
              + " s, and is taken over after "
              + expiry.toSeconds()
              + " s");
      return true;
    }
    return false;
  }

  /**
   * Returns when the run still holds the lock: its lease renewed recently enough, and its
   * generation still the newest, unreleased, with its own record. Throws {@link LeaseLostException}
   * otherwise; the commit must not happen.
   */
  @Override
  public void check(Path target) {
    if (lost == null && !overdue()) {
      try {
        String taken = whyNotHeld();
        if (taken != null) {
          lose(taken);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot check the lock "
                + folder.dir()
                + " before committing "
                + target
                + ": "
                + e.getMessage(),
            e);
      }
    }
    if (lost != null) {
      throw new LeaseLostException(
          "run "
              + record.runId()
              + " lost the lock "
              + folder.dir()
              + " (generation "
              + record.generation()
              + "): "
              + lost
              + "; not committing "
              + target);
    }
  }

  /** Why the folder says this lease is no longer held, or null while it is. */
  private String whyNotHeld() throws IOException {
    Optional<LockFolder.Generation> newest = folder.newest();
    if (newest.isEmpty()) {
      return "the lock folder holds no generation";
    }
    LockFolder.Generation current = newest.get();
    if (current.number() != record.generation()) {
      return "generation "
          + current.number()
          + " took it over"
          + current.holder().map(h -> " for run " + h.runId()).orElse("");
    }
    if (current.released()) {
      return "it was released";
    }
    if (current.holder().map(h -> !h.token().equals(record.token())).orElse(true)) {
      return "its file " + current.file() + " no longer holds its record";
    }
    return null;
  }

  private void lose(String why) {
    if (lost == null) {
      lost = why;
      LOG.error(
          "Run {} lost the lock {} (generation {}): {}; it commits nothing more",
          record.runId(),
          folder.dir(),
          record.generation(),
          why);
    }
  }

  /**
   * Stops renewing and releases the lock, unless it was lost: a successor's generation is never
   * touched.
   */
  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      renewer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      String taken = lost != null ? lost : whyNotHeld();
      if (taken != null) {
        LOG.warn(
            "Not releasing the lock {} (generation {}): {}",
            folder.dir(),
            record.generation(),
            taken);
        return;
      }
      folder.release(record.generation());
      LOG.info("Released the lock {} (generation {})", folder.dir(), record.generation());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not release the lock {} (generation {}): {}; it expires unrenewed",
          folder.dir(),
          record.generation(),
          e.getMessage());
    }
  }
}
