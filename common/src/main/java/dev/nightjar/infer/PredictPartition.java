package dev.nightjar.infer;

import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.model.ModelRef;
import dev.nightjar.model.engine.InferenceEngine;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The function each inference task runs: borrow this JVM's engine for the model, stream the
 * partition through it, give the engine back. It carries the model's address, never its weights.
 */
final class PredictPartition implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;
  private final ModelRef model;
  private final SerializableHadoopConf hadoopConf;
  private final PredictionSettings settings;
  private final CollectionAccumulator<Long> partitionNanos;

  /**
   * @param partitionNanos collects how long each partition took, for the latency percentiles; null
   *     collects nothing
   */
  PredictPartition(
      ModelRef model,
      SerializableHadoopConf hadoopConf,
      PredictionSettings settings,
      CollectionAccumulator<Long> partitionNanos) {
    this.model = model;
    this.hadoopConf = hadoopConf;
    this.settings = settings;
    this.partitionNanos = partitionNanos;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    InferenceEngine engine = ExecutorModelCache.borrow(model, hadoopConf.get());
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            ExecutorModelCache.release(model, engine);
          }
        };
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) context -> release.run());
    }
    return new BatchPredictor(
        rows,
        engine,
        settings,
        nanos -> {
          if (partitionNanos != null) {
            partitionNanos.add(nanos);
          }
          release.run();
        });
  }
}
