package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.testing.SparkTestSession;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tasks see the driver's Hadoop settings, from one broadcast until a setting changes. */
@ExtendWith(SparkTestSession.class)
class SerializableHadoopConfTest {
  private static final String KEY = "nightjar.test.serializable-conf";

  private static List<String> seenByTasks(SparkSession spark, SerializableHadoopConf conf) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(1, 2), 2)
        .map(i -> conf.get().get(KEY, "unset"))
        .collect();
  }

  @Test
  void oneBroadcastUntilASettingChanges(SparkSession spark) {
    Configuration driverConf = spark.sparkContext().hadoopConfiguration();
    try {
      driverConf.set(KEY, "first");
      SerializableHadoopConf first = SerializableHadoopConf.of(spark.sparkContext());
      assertThat(SerializableHadoopConf.of(spark.sparkContext())).isSameAs(first);
      assertThat(seenByTasks(spark, first)).containsExactly("first", "first");

      driverConf.set(KEY, "second");
      SerializableHadoopConf second = SerializableHadoopConf.of(spark.sparkContext());
      assertThat(second).isNotSameAs(first);
      assertThat(seenByTasks(spark, second)).containsExactly("second", "second");
      assertThat(SerializableHadoopConf.of(spark.sparkContext())).isSameAs(second);
    } finally {
      driverConf.unset(KEY);
    }
  }
}
