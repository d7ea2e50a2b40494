package dev.nightjar.jobs.report;

import dev.nightjar.io.CommitFence;
import dev.nightjar.io.CommitUnit;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.metrics.Charts;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.table.PublishedTables;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The report of one run date, {@code reports/run_date=D/report.md} with PNG plots: stage timings,
 * training curves and the distribution of predicted classes, read back from the output tables. A
 * section whose table is missing says so instead of failing the run.
 */
public final class NightlyReport {
  public static final String FILE = "report.md";

  private final SparkSession spark;
  private final OutputLayout layout;
  private final CommitFence fence;

  public NightlyReport(SparkSession spark, OutputLayout layout, CommitFence fence) {
    this.spark = spark;
    this.layout = layout;
    this.fence = fence;
  }

  /** Writes the report and returns its path. */
  public String write(String runId) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path target = new Path(new Path(layout.rootPath(), "reports"), "run_date=" + layout.runDate());
    try (CommitUnit unit = CommitUnit.begin(conf, layout, "report", runId, fence)) {
      StagedOutput out = unit.stage(target);
      StringBuilder md = new StringBuilder("# Nightjar run of " + layout.runDate() + "\n\n");
      stageTimings(md, out.path(), conf);
      trainingCurves(md, out.path(), conf);
      predictedClasses(md, out.path(), conf);
      modelVariants(md, out.path(), conf);
      write(conf, new Path(out.path(), FILE), md.toString().getBytes(StandardCharsets.UTF_8));
      out.complete();
      unit.commit();
      return new Path(out.path(), FILE).toString();
    }
  }

  private void stageTimings(StringBuilder md, Path dir, Configuration conf) {
    md.append("## Stages\n\n");
    List<Row> runs =
        query(
            PublishedTables.read(spark, layout.root(), "runs", layout.runDate()),
            "select stage, status, run_id, seconds, end from t order by end");
    if (runs == null) {
      md.append("No runs recorded.\n\n");
      return;
    }
    md.append("| stage | status | run | seconds |\n|---|---|---|---:|\n");
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (Row row : runs) {
      md.append(
          String.format(
              "| %s | %s | %s | %.1f |%n",
              row.getString(0), row.getString(1), row.getString(2), row.getDouble(3)));
      seconds.put(row.getString(0), row.getDouble(3));
    }
    write(
        conf,
        new Path(dir, "stage-timings.png"),
        Charts.bars("Stage wall time", "stage", "seconds", seconds));
    md.append("\n![stage timings](stage-timings.png)\n\n");
  }

  private void trainingCurves(StringBuilder md, Path dir, Configuration conf) {
    md.append("## Training\n\n");
    List<Row> epochs =
        table(
            layout.trainMetrics(),
            conf,
            "select epoch, loss, validation_accuracy, test_accuracy, images_per_s from t order by epoch");
    if (epochs == null) {
      md.append("No training this night.\n\n");
      return;
    }
    Map<String, List<double[]>> accuracy = new LinkedHashMap<>();
    accuracy.put("validation accuracy", new ArrayList<>());
    accuracy.put("test accuracy", new ArrayList<>());
    Map<String, List<double[]>> loss = Map.of("loss", new ArrayList<>());
    md.append("| epoch | loss | validation | test | images/s |\n|---:|---:|---:|---:|---:|\n");
    for (Row row : epochs) {
      int epoch = row.getInt(0);
      double validation = row.isNullAt(2) ? Double.NaN : row.getDouble(2);
      md.append(
          String.format(
              "| %d | %.4f | %.4f | %.4f | %.0f |%n",
              epoch, row.getDouble(1), validation, row.getDouble(3), row.getDouble(4)));
      if (!Double.isNaN(validation)) {
        accuracy.get("validation accuracy").add(new double[] {epoch, validation});
      }
      accuracy.get("test accuracy").add(new double[] {epoch, row.getDouble(3)});
      loss.get("loss").add(new double[] {epoch, row.getDouble(1)});
    }
    write(
        conf,
        new Path(dir, "accuracy.png"),
        Charts.lines("Accuracy by epoch", "epoch", "accuracy", accuracy));
    write(
        conf,
        new Path(dir, "loss.png"),
        Charts.lines("Training loss by epoch", "epoch", "loss", loss));
    md.append("\n![accuracy](accuracy.png)\n![loss](loss.png)\n\n");
  }

  private void predictedClasses(StringBuilder md, Path dir, Configuration conf) {
    md.append("## Predictions\n\n");
    List<Row> counts =
        table(
            layout.predictions(),
            conf,
            "select predicted_label, count(*), avg(cast(label = predicted_label as double)) from t group by predicted_label order by predicted_label");
    if (counts == null) {
      md.append("No predictions this night.\n\n");
      return;
    }
    List<String> names = classNames(conf);
    Map<String, Long> distribution = new LinkedHashMap<>();
    md.append("| class | predicted | precision |\n|---|---:|---:|\n");
    for (Row row : counts) {
      int label = row.getInt(0);
      String name = label < names.size() ? names.get(label) : String.valueOf(label);
      distribution.put(name, row.getLong(1));
      md.append(
          String.format(
              "| %s | %d | %s |%n",
              name,
              row.getLong(1),
              row.isNullAt(2) ? "-" : String.format("%.3f", row.getDouble(2))));
    }
    write(
        conf,
        new Path(dir, "predicted-classes.png"),
        Charts.bars("Predicted classes", "class", "predictions", distribution));
    md.append("\n![predicted classes](predicted-classes.png)\n\n");
  }

  private void modelVariants(StringBuilder md, Path dir, Configuration conf) {
    md.append("## Model variants\n\n");
    List<Row> variants =
        table(
            layout.modelVariants(),
            conf,
            "select variant, engine, precision, size_bytes, parameters, macs, test_accuracy, latency_p50_ms, images_per_s, "
                + "selected from t order by engine, images_per_s desc");
    if (variants == null) {
      md.append("No model variants this night.\n\n");
      return;
    }
    md.append(
        "| variant | engine | precision | KB | parameters | MACs | test accuracy | p50 ms | images/s | serving |\n"
            + "|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    Map<String, List<Charts.LabelledPoint>> points = new LinkedHashMap<>();
    for (Row row : variants) {
      boolean trained = !row.isNullAt(6);
      md.append(
          String.format(
              "| %s | %s | %s | %.0f | %d | %d | %s | %.2f | %.0f | %s |%n",
              row.getString(0),
              row.getString(1),
              row.getString(2),
              row.getLong(3) / 1024.0,
              row.getLong(4),
              row.getLong(5),
              trained ? String.format("%.4f", row.getDouble(6)) : "untrained",
              row.getDouble(7),
              row.getDouble(8),
              row.getBoolean(9) ? "**yes**" : ""));
      if (trained) {
        points
            .computeIfAbsent(row.getString(1), e -> new ArrayList<>())
            .add(
                new Charts.LabelledPoint(
                    row.getString(0), row.getDouble(8), row.getDouble(6) * 100));
      }
    }
    write(
        conf,
        new Path(dir, "model-variants.png"),
        Charts.scatter(
            "Model variants: accuracy against throughput",
            "images/s",
            "test accuracy (%)",
            points));
    md.append("\n![model variants](model-variants.png)\n\n");
  }

  private List<String> classNames(Configuration conf) {
    try {
      ModelMetadata model =
          ModelStore.readMetadata(conf, PublishedOutputs.resolve(conf, layout, layout.models()));
      return model.classNames();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /**
   * Runs {@code query} over the Parquet folder as table {@code t}, or returns null if it is
   * missing.
   */
  private List<Row> table(Path folder, Configuration conf, String query) {
    Path published = PublishedOutputs.resolve(conf, layout, folder);
    try {
      if (!published.getFileSystem(conf).exists(published)) {
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return query(Optional.of(spark.read().parquet(published.toString())), query);
  }

  private List<Row> query(Optional<Dataset<Row>> table, String query) {
    if (table.isEmpty()) {
      return null;
    }
    table.get().createOrReplaceTempView("t");
    try {
      return spark.sql(query).collectAsList();
    } finally {
      spark.catalog().dropTempView("t");
    }
  }

  private static void write(Configuration conf, Path file, byte[] bytes) {
    try {
      FileSystem fs = file.getFileSystem(conf);
      try (OutputStream out = fs.create(file, true)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
