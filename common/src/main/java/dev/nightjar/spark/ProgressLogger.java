package dev.nightjar.spark;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of long Spark stages (tasks done, rate, time left) about every {@code
 * intervalMillis}, so long work is never silent: as tasks end, and for a stage whose tasks all run
 * longer than that (an epoch of training is one task per worker), from a heartbeat.
 */
public final class ProgressLogger extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);
  private final long intervalMillis;
  private final ConcurrentHashMap<Integer, StageProgress> stages = new ConcurrentHashMap<>();
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "nightjar-progress");
            thread.setDaemon(true);
            return thread;
          });

  public ProgressLogger(long intervalMillis) {
    this.intervalMillis = intervalMillis;
    heartbeat.scheduleWithFixedDelay(
        this::logQuietStages, intervalMillis, intervalMillis / 4, TimeUnit.MILLISECONDS);
  }

  /**
   * Stages that logged nothing for an interval: their tasks run long, and saying so is the
   * progress.
   */
  private void logQuietStages() {
    long now = System.currentTimeMillis();
    stages.forEach(
        (id, stage) -> {
          if (now - stage.lastLog >= intervalMillis) {
            stage.lastLog = now;
            LOG.info(
                String.format(
                    "stage %d (%s): %d/%d tasks done, %.0f s elapsed",
                    id, stage.name, stage.done.get(), stage.tasks, (now - stage.start) / 1000.0));
          }
        });
  }

  @Override
  public void onApplicationEnd(SparkListenerApplicationEnd event) {
    heartbeat.shutdownNow();
  }

  private static final class StageProgress {
    final String name;
    final int tasks;
    final long start = System.currentTimeMillis();
    final AtomicInteger done = new AtomicInteger();
    volatile long lastLog = start;

    StageProgress(String name, int tasks) {
      this.name = name;
      this.tasks = tasks;
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    stages.put(
        event.stageInfo().stageId(),
        new StageProgress(event.stageInfo().name(), event.stageInfo().numTasks()));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    StageProgress stage = stages.get(event.stageId());
    if (stage == null) {
      return;
    }
    int done = stage.done.incrementAndGet();
    long now = System.currentTimeMillis();
    if (now - stage.lastLog >= intervalMillis && done < stage.tasks) {
      stage.lastLog = now;
      double elapsed = (now - stage.start) / 1000.0;
      double eta = elapsed / done * (stage.tasks - done);
      LOG.info(
          String.format(
              "stage %d (%s): %d/%d tasks, %.1f s elapsed, about %.0f s left",
              event.stageId(), stage.name, done, stage.tasks, elapsed, eta));
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    stages.remove(event.stageInfo().stageId());
  }
}
