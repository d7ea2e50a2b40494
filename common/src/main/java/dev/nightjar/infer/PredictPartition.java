package dev.nightjar.infer;

import dev.nightjar.io.SerializableHadoopConf;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The function each inference task runs: borrow this JVM's copy of the model, stream the
 * partition through it, give the copy back. It carries the model's address, never its weights.
 */
final class PredictPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final ModelRef model;
  private final SerializableHadoopConf hadoopConf;
  private final int batchSize;
  private final int[] imageShape;
  private final String runId;

  PredictPartition(ModelRef model, SerializableHadoopConf hadoopConf, int batchSize, int[] imageShape, String runId) {
    this.model = model;
    this.hadoopConf = hadoopConf;
    this.batchSize = batchSize;
    this.imageShape = imageShape.clone();
    this.runId = runId;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    MultiLayerNetwork network = ExecutorModelCache.borrow(model, hadoopConf.get());
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        ExecutorModelCache.release(model, network);
      }
    };
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> release.run());
    }
    return new BatchPredictor(rows, network, batchSize, imageShape, model.version(), runId, release);
  }
}
