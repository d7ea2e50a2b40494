package dev.nightjar.jobs.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts when a job's Spark application ends under it: a standalone master that refused the driver,
 * or a cluster that stopped the application. Spark then stops the context from another thread, and
 * a job thread inside a broadcast at that moment can wait forever for a block lock (Spark 3.5's
 * TorrentBroadcast cleanup), so the driver would never exit and its scheduler would wait with it.
 * If the job has not closed the guard within the grace period, {@code onLoss} runs.
 */
public final class ApplicationLossGuard extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationLossGuard.class);
  private final SparkContext context;
  private final Duration grace;
  private final Runnable onLoss;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();

  private ApplicationLossGuard(SparkContext context, Duration grace, Runnable onLoss) {
    this.context = context;
    this.grace = grace;
    this.onLoss = onLoss;
  }

  /** Watches {@code context} until {@link #close()}; a context already stopped counts as lost. */
  public static ApplicationLossGuard install(
      SparkContext context, Duration grace, Runnable onLoss) {
    ApplicationLossGuard guard = new ApplicationLossGuard(context, grace, onLoss);
    try {
      context.addSparkListener(guard);
    } catch (IllegalStateException listenerBusStopped) {
      // The context is stopped, which the check below sees.
    }
    // Checked after adding the listener: a stop that began earlier may have posted its end already.
    if (context.isStopped()) {
      guard.applicationLost();
    }
    return guard;
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd event) {
    applicationLost();
  }

  private void applicationLost() {
    if (closed.get() || !lost.compareAndSet(false, true)) {
      return;
    }
    LOG.warn(
        "The Spark application {} ended while the job was running; giving the job {} s to stop",
        context.applicationId(),
        grace.toSeconds());
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(grace.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              if (!closed.get()) {
                onLoss.run();
              }
            },
            "nightjar-application-loss-guard");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** The job is done with its session, whatever the outcome: its end is no longer a loss. */
  @Override
  public void close() {
    closed.set(true);
    context.removeSparkListener(this);
  }
}
