package dev.nightjar.testing;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.stage.Stage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * A night of the pipeline on a slice of the real Fashion-MNIST, quick to run: prepare, one epoch of
 * the smallest network, and inference with the trained model on DL4J (no optimize stage).
 */
public final class QuickNight {
  private QuickNight() {}

  /** The night's settings; {@code overrides} win. */
  public static NightjarConfig config(
      String outputRoot, String runDate, String runId, String... overrides) {
    List<String> settings =
        new ArrayList<>(
            List.of(
                "output-root=" + outputRoot,
                "run-date=" + runDate,
                "run-id=" + runId,
                "data.source=" + FashionMnist.dir(),
                "data.train-limit=2000",
                "data.test-limit=500",
                "prepare.partitions=2",
                "train.model=tiny-cnn",
                "train.epochs=1",
                "infer.model=trained",
                "infer.engine=dl4j"));
    settings.addAll(List.of(overrides));
    return ConfigLoader.fromOverrides(settings.toArray(String[]::new));
  }

  /** Prepares, trains and infers: every output of the night committed. */
  public static void run(SparkSession spark, NightjarConfig config) {
    Nightjar.run(spark, config, EnumSet.of(Stage.PREPARE, Stage.TRAIN, Stage.INFER));
  }
}
