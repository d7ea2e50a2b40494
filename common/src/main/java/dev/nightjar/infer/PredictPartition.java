package dev.nightjar.infer;

import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.model.ModelRef;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The function each inference task runs: borrow the model from this JVM's cache, stream the
 * partition through its engine, return the model when the partition ends or the task does. It
 * carries the model's address, never its weights.
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
    BorrowedModel borrowed = ExecutorModelCache.jvm().borrow(model, hadoopConf.get());
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) context -> borrowed.close());
    }
    return new BatchPredictor(
        rows,
        borrowed.engine(),
        settings,
        nanos -> {
          if (partitionNanos != null) {
            partitionNanos.add(nanos);
          }
          borrowed.close();
        });
  }
}
