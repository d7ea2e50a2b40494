package dev.nightjar.bench;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.spark.SessionSettings;
import dev.nightjar.train.EpochReport;
import dev.nightjar.train.TrainResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "One training schedule on Fashion-MNIST in local[2]: trains on the data prepared under --work "
            + "(preparing it first with --prepare) with the given train.* overrides and writes every "
            + "epoch's validation and test accuracy, fit and evaluation seconds as a CSV; prints one "
            + "JSON line last. Compare schedules by running it once per schedule, one at a time, on "
            + "the same --work: each run replaces the previous run's model and checkpoints there.")
final class ScheduleBenchmark implements Callable<Integer> {
  @Option(
      names = "--work",
      paramLabel = "DIR",
      required = true,
      description = "Output root shared by the runs.")
  Path work;

  @Option(names = "--label", required = true, description = "Name of the schedule, for the CSV.")
  String label;

  @Option(names = "--prepare", description = "Run the prepare stage first.")
  boolean prepare;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "A Nightjar override such as train.learning-rate=0.002 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--target-accuracy",
      description =
          "Test accuracy whose epochs and seconds to reach are reported (default: ${DEFAULT-VALUE}).")
  double targetAccuracy = 0.91;

  @Option(
      names = "--fashion-mnist",
      paramLabel = "DIR",
      description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}).")
  String fashionMnist = "/usr/share/datasets/fashion-mnist";

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where the CSV goes (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("bench-results/schedule");

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(output);
    List<String> all =
        new ArrayList<>(
            List.of(
                "output-root=" + work.toAbsolutePath().toUri(),
                "data.source=" + fashionMnist,
                "run-date=2026-01-01",
                "run-id=schedule",
                "train.collect-stats=false"));
    all.addAll(overrides);
    NightjarConfig config = ConfigLoader.fromOverrides(all.toArray(String[]::new));
    TrainResult result;
    try (SparkSession spark =
        SparkSession.builder()
            .config(SessionSettings.apply(new SparkConf(), ConfigLoader.fromOverrides()))
            .master("local[2]")
            .appName("nightjar-bench-schedule")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate()) {
      if (prepare) {
        Nightjar.prepare(spark, config).execute();
      }
      result = Nightjar.train(spark, config).execute();
    }
    OptionalDouble seconds = result.secondsToTestAccuracy(targetAccuracy);
    int epochsToTarget = 0;
    for (EpochReport epoch : result.epochs()) {
      if (epoch.testAccuracy() >= targetAccuracy) {
        epochsToTarget = epoch.epoch();
        break;
      }
    }
    Path csv = output.resolve("schedule_" + label + ".csv");
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
      out.println(
          "label,epoch,loss,validation_accuracy,test_accuracy,fit_seconds,evaluation_seconds,images_per_s,examples_fitted");
      for (EpochReport e : result.epochs()) {
        out.printf(
            "%s,%d,%.5f,%.4f,%.4f,%.1f,%.1f,%.1f,%d%n",
            label,
            e.epoch(),
            e.loss(),
            e.validationAccuracy(),
            e.testAccuracy(),
            e.seconds(),
            e.evaluationSeconds(),
            e.imagesPerSecond(),
            e.examplesFitted());
        System.out.printf(
            "%s epoch %d: validation %.4f test %.4f fit %.1f s evaluation %.1f s (%.0f images/s)%n",
            label,
            e.epoch(),
            e.validationAccuracy(),
            e.testAccuracy(),
            e.seconds(),
            e.evaluationSeconds(),
            e.imagesPerSecond());
      }
    }
    System.out.printf(
        "{\"label\": \"%s\", \"overrides\": \"%s\", \"best_epoch\": %d, \"test_accuracy\": %.4f, "
            + "\"validation_accuracy\": %.4f, \"epochs_to_target\": %s, \"seconds_to_target\": %s, "
            + "\"target_accuracy\": %.4f, \"train_seconds\": %.1f, \"images_per_s\": %.1f}%n",
        label,
        String.join(" ", overrides),
        result.model().bestEpoch(),
        result.model().testAccuracy(),
        result.model().validationAccuracy(),
        epochsToTarget == 0 ? "null" : Integer.toString(epochsToTarget),
        seconds.isPresent() ? String.format("%.1f", seconds.getAsDouble()) : "null",
        targetAccuracy,
        result.seconds(),
        result.imagesPerSecond());
    return 0;
  }
}
