package dev.nightjar.examples;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.spark.SessionSettings;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the four stages on Fashion-MNIST from a plain Spark program, the way the README shows.
 *
 * <p>Arguments: the output root, the folder of the Fashion-MNIST IDX files, then any settings as
 * {@code key=value}.
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("Usage: QuickStart OUTPUT_ROOT FASHION_MNIST_DIR [key=value ...]");
      System.exit(2);
    }
    List<String> settings =
        new ArrayList<>(List.of("output-root=" + args[0], "data.source=" + args[1]));
    settings.addAll(Arrays.asList(args).subList(2, args.length));
    run(settings.toArray(String[]::new));
  }

  static void run(String... settings) {
    // README:begin
    NightjarConfig config = ConfigLoader.fromOverrides(settings);
    SparkConf sparkConf = SessionSettings.apply(new SparkConf().setMaster("local[2]"), config);
    try (SparkSession spark =
        SparkSession.builder().appName("quick-start").config(sparkConf).getOrCreate()) {
      for (StageResult result : Nightjar.run(spark, config, EnumSet.allOf(Stage.class))) {
        System.out.println(result.summary());
      }
    }
    // README:end
  }
}
