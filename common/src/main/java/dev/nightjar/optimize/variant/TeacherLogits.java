package dev.nightjar.optimize.variant;

import dev.nightjar.io.OutputWriteException;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.model.ModelStore;
import dev.nightjar.optimize.distill.DistillationLabels;
import dev.nightjar.train.ShardLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Precomputes the teacher's logits on the cluster: each task loads the teacher once and rewrites
 * its training shards with distillation labels ({@code [N, 2C]}: one-hot, then the logits), so the
 * student's epochs never run the teacher again.
 */
final class TeacherLogits implements FlatMapFunction<Iterator<String>, String> {
  private static final long serialVersionUID = 1L;
  private final String teacherDir;
  private final String outputDir;
  private final SerializableHadoopConf hadoopConf;

  private TeacherLogits(String teacherDir, String outputDir, SerializableHadoopConf hadoopConf) {
    this.teacherDir = teacherDir;
    this.outputDir = outputDir;
    this.hadoopConf = hadoopConf;
  }

  /** The rewritten shards' URIs, one per input shard. */
  static JavaRDD<String> write(
      JavaRDD<String> shards, Path teacherDir, Path outputDir, SerializableHadoopConf conf) {
    return shards.mapPartitions(
        new TeacherLogits(teacherDir.toString(), outputDir.toString(), conf));
  }

  @Override
  public Iterator<String> call(Iterator<String> shards) {
    if (!shards.hasNext()) {
      return java.util.Collections.emptyIterator();
    }
    MultiLayerNetwork teacher = ModelStore.loadNetwork(hadoopConf.get(), new Path(teacherDir));
    List<String> written = new ArrayList<>();
    while (shards.hasNext()) {
      String shard = shards.next();
      DataSet relabelled =
          DistillationLabels.withTeacherLogits(teacher, ShardLoader.read(shard, hadoopConf.get()));
      // Shard names are unique within a split (partition and sequence), so the name alone is
      // enough.
      Path target = new Path(outputDir, new Path(shard).getName());
      try (OutputStream out = target.getFileSystem(hadoopConf.get()).create(target, true)) {
        relabelled.save(out);
      } catch (IOException e) {
        throw new OutputWriteException(target, e);
      }
      written.add(target.toString());
    }
    return written.iterator();
  }
}
