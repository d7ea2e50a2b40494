package dev.nightjar.source;

import dev.nightjar.io.SerializableHadoopConf;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A source planned file by file on the driver (IDX, image folders): the plan fixes which records
 * each partition reads, so partitions are balanced and stratified before any task starts.
 */
abstract class PlannedSource implements ExampleSource {
  /** Plans the inputs as {@code partitions} partitions. */
  abstract SourcePlan plan(Configuration hadoopConf, int partitions);

  @Override
  public void checkInputs(Configuration hadoopConf) {
    plan(hadoopConf, 1);
  }

  @Override
  public LoadedSource load(SparkSession spark, int partitions) {
    SourcePlan plan = plan(spark.sparkContext().hadoopConfiguration(), partitions);
    SerializableHadoopConf conf = SerializableHadoopConf.of(spark.sparkContext());
    return new LoadedSource(
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(plan.partitions(), plan.partitions().size())
            .flatMap((PartitionReader reader) -> reader.read(conf.get())),
        plan.imageShape(),
        plan.classNames(),
        plan.uris());
  }
}
