package dev.nightjar.spark;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of long Spark stages (tasks done, rate, time left) at most every
 * {@code intervalMillis}, so a long prepare or inference is never silent.
 */
public final class ProgressLogger extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);
  private final long intervalMillis;
  private final ConcurrentHashMap<Integer, StageProgress> stages = new ConcurrentHashMap<>();

  public ProgressLogger(long intervalMillis) {
    this.intervalMillis = intervalMillis;
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
    stages.put(event.stageInfo().stageId(),
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
      LOG.info(String.format("stage %d (%s): %d/%d tasks, %.1f s elapsed, about %.0f s left",
          event.stageId(), stage.name, done, stage.tasks, elapsed, eta));
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    stages.remove(event.stageInfo().stageId());
  }
}
