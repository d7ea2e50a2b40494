package dev.nightjar.optimize.variant;

import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.spark.SparkWrites;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training shards relabelled with the trained model's logits ({@link TeacherLogits}), for every
 * builder that learns from the teacher: the distilled student, and the structurally pruned
 * networks' fine-tuning. Computed on the cluster when a builder first asks, then reused.
 */
public final class TeacherShards {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherShards.class);
  private final SparkSession spark;
  private final JavaRDD<String> trainShards;
  private final Path teacherDir;
  private final Path outputDir;
  private List<String> relabelled;

  /**
   * @param teacherDir the trained model's folder
   * @param outputDir where the relabelled shards go (inside the stage's scratch folder)
   */
  public TeacherShards(
      SparkSession spark, JavaRDD<String> trainShards, Path teacherDir, Path outputDir) {
    this.spark = spark;
    this.trainShards = trainShards;
    this.teacherDir = teacherDir;
    this.outputDir = outputDir;
  }

  /** The relabelled shards' URIs, one per training shard. */
  public synchronized List<String> get() {
    if (relabelled == null) {
      JavaRDD<String> shards =
          TeacherLogits.write(
              trainShards, teacherDir, outputDir, SerializableHadoopConf.of(spark.sparkContext()));
      relabelled = List.copyOf(SparkWrites.into(outputDir, shards::collect));
      LOG.info("Wrote the teacher's logits into {} training shards", relabelled.size());
    }
    return relabelled;
  }
}
