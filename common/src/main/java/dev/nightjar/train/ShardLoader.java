package dev.nightjar.train;

import dev.nightjar.io.SerializableHadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Loads shards as DataSets on the executors. Evaluation goes through this rather than DL4J's
 * path-based {@code doEvaluation}, which in 1.0.0-M2 builds a ComputationGraph from a
 * MultiLayerNetwork's configuration and fails with a NullPointerException.
 */
final class ShardLoader {
  private ShardLoader() {}

  static JavaRDD<DataSet> load(JavaRDD<String> paths, SerializableHadoopConf hadoopConf) {
    return paths.map(uri -> {
      Path path = new Path(uri);
      try (InputStream in = path.getFileSystem(hadoopConf.get()).open(path)) {
        DataSet dataSet = new DataSet();
        dataSet.load(in);
        return dataSet;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read shard " + uri + ": " + e.getMessage(), e);
      }
    });
  }
}
