package dev.nightjar.io;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag$;

/**
 * Carries the driver's Hadoop configuration (HDFS, S3 credentials providers, ...) to executors.
 * It is broadcast rather than carried in each task: a configuration holds hundreds of keys, and
 * decoding them in every task cost tens of milliseconds a task; each executor now decodes it once.
 */
public final class SerializableHadoopConf implements Serializable {
  private static final long serialVersionUID = 2L;
  private final Broadcast<Shipped> broadcast;

  private SerializableHadoopConf(Broadcast<Shipped> broadcast) {
    this.broadcast = broadcast;
  }

  /** The configuration of {@code spark}'s Hadoop side, broadcast to its executors. */
  public static SerializableHadoopConf of(SparkContext spark) {
    return new SerializableHadoopConf(
        spark.broadcast(new Shipped(spark.hadoopConfiguration()), ClassTag$.MODULE$.apply(Shipped.class)));
  }

  /** The configuration; on an executor, one instance shared by its tasks: read it, do not change it. */
  public Configuration get() {
    return broadcast.value().conf;
  }

  /** What is broadcast: a configuration, written with Hadoop's own serialization. */
  private static final class Shipped implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient Configuration conf;

    Shipped(Configuration conf) {
      this.conf = conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      conf = new Configuration(false);
      conf.readFields(in);
    }
  }
}
