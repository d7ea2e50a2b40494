package dev.nightjar.train;

import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.spark.JobGroups;
import dev.nightjar.spark.TaskSlots;
import dev.nightjar.stage.Stage;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

/** Distributed accuracy of the network being trained, on the shards of one split. */
final class EpochEvaluator {
  private final SparkSession spark;
  private final int numClasses;

  EpochEvaluator(SparkSession spark, int numClasses) {
    this.spark = spark;
    this.numClasses = numClasses;
  }

  double accuracy(SparkDl4jMultiLayer network, JavaRDD<String> shards, String split, int epoch) {
    return JobGroups.run(
        spark.sparkContext(),
        Stage.TRAIN.label(),
        "evaluate",
        split + " accuracy after epoch " + epoch,
        () -> {
          JavaRDD<DataSet> data =
              ShardLoader.load(shards, SerializableHadoopConf.of(spark.sparkContext()));
          // DL4J evaluates with one shared runner per JVM, whose thread count is the first
          // argument:
          // as many as tasks run at once in a JVM, or the tasks queue behind a single thread.
          // doEvaluation returns merged copies; the argument is only a template.
          Evaluation[] evaluations =
              network.doEvaluation(
                  data, TaskSlots.perJvm(spark.sparkContext()), 256, new Evaluation(numClasses));
          return evaluations[0].accuracy();
        });
  }
}
