package dev.nightjar.train;

import dev.nightjar.io.SerializableHadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Reads prepared shards back as DataSets. Evaluation goes through this rather than DL4J's
 * path-based {@code doEvaluation}, which in 1.0.0-M2 builds a ComputationGraph from a
 * MultiLayerNetwork's configuration and fails with a NullPointerException.
 */
public final class ShardLoader {
  private ShardLoader() {}

  /** Loads the shards on the executors. */
  static JavaRDD<DataSet> load(JavaRDD<String> paths, SerializableHadoopConf hadoopConf) {
    return paths.map(uri -> read(uri, hadoopConf.get()));
  }

  /** Reads one shard from any Hadoop file system. */
  public static DataSet read(String uri, Configuration hadoopConf) {
    Path path = new Path(uri);
    try (InputStream in = path.getFileSystem(hadoopConf).open(path)) {
      DataSet dataSet = new DataSet();
      dataSet.load(in);
      return dataSet;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read shard " + uri + ": " + e.getMessage(), e);
    }
  }
}
