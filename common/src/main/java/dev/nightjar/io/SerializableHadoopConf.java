package dev.nightjar.io;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag$;

/**
 * Carries the driver's Hadoop configuration (HDFS, S3 credentials providers, ...) to executors. It
 * is broadcast rather than carried in each task: a configuration holds hundreds of keys, and
 * decoding them in every task would cost tens of milliseconds a task; each executor decodes it
 * once. A context broadcasts one configuration until it changes: writing it out costs about as much
 * as a small job does, and every scoring or loading job asks for it.
 */
public final class SerializableHadoopConf implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Per live context, the settings last broadcast and their broadcast. */
  private static final Map<SparkContext, Latest> LATEST = new WeakHashMap<>();

  private final Broadcast<Shipped> broadcast;

  private record Latest(Map<String, String> settings, SerializableHadoopConf shipped) {}

  private SerializableHadoopConf(Broadcast<Shipped> broadcast) {
    this.broadcast = broadcast;
  }

  /**
   * The configuration of {@code spark}'s Hadoop side, broadcast to its executors: the broadcast of
   * an earlier call while the settings are the same, a new one once they changed.
   */
  public static SerializableHadoopConf of(SparkContext spark) {
    Configuration conf = spark.hadoopConfiguration();
    Map<String, String> settings = new TreeMap<>();
    conf.forEach(setting -> settings.put(setting.getKey(), setting.getValue()));
    synchronized (LATEST) {
      Latest latest = LATEST.get(spark);
      if (latest == null || !latest.settings().equals(settings)) {
        latest =
            new Latest(
                settings,
                new SerializableHadoopConf(
                    spark.broadcast(new Shipped(conf), ClassTag$.MODULE$.apply(Shipped.class))));
        LATEST.put(spark, latest);
      }
      return latest.shipped();
    }
  }

  /**
   * The configuration; on an executor, one instance shared by its tasks: read it, do not change it.
   */
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
