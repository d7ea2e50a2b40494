package dev.nightjar.io;

import java.io.Serializable;
import java.time.LocalDate;
import org.apache.hadoop.fs.Path;

/**
 * Where each output of a run lives under the output root. Every table is partitioned by {@code
 * run_date=}, so a night's outputs are replaced together and readers can prune by date.
 *
 * <pre>
 * root/prepared/run_date=D/      shards/{train,validation,test}/*.bin, examples/ (Parquet), _manifest.json
 * root/quarantine/run_date=D/    Parquet: records the prepare stage could not use, with the reason
 * root/infer_quarantine/run_date=D/ Parquet: records of new data the infer stage could not score
 * root/checkpoints/run_date=D/   epoch-NNN/ (model.zip, state.json)
 * root/models/run_date=D/        model.zip, model.json, training-stats.html
 * root/optimized/run_date=D/     variants/ (ONNX files, DL4J zips), serving.json, model-variants.png
 * root/model_variants/run_date=D/ Parquet: every variant's accuracy, size, cost and speed
 * root/train_metrics/run_date=D/ Parquet
 * root/predictions/run_date=D/   Parquet
 * root/metrics/run_date=D/stage=S/  Parquet
 * root/runs/run_date=D/stage=S/     Parquet: the latest attempt at each stage
 * root/_markers/run_date=D/S.json   a stage that succeeded; a rerun skips it
 * root/registry/                  models/VERSION/, aliases/ALIAS/ (see ModelRegistry)
 * root/_lock/                       the lock of the one job running on this root (see PipelineLock)
 * </pre>
 */
public record OutputLayout(String root, LocalDate runDate) implements Serializable {
  public static final String MANIFEST = "_manifest.json";

  public Path rootPath() {
    return new Path(root);
  }

  public Path prepared() {
    return partition("prepared");
  }

  public Path models() {
    return partition("models");
  }

  public Path optimized() {
    return partition("optimized");
  }

  public Path modelVariants() {
    return partition("model_variants");
  }

  public Path quarantine() {
    return partition("quarantine");
  }

  public Path inferQuarantine() {
    return partition("infer_quarantine");
  }

  public Path checkpoints() {
    return partition("checkpoints");
  }

  public Path trainMetrics() {
    return partition("train_metrics");
  }

  public Path predictions() {
    return partition("predictions");
  }

  public Path runsTable() {
    return new Path(rootPath(), "runs");
  }

  public Path metricsTable() {
    return new Path(rootPath(), "metrics");
  }

  public Path metrics(String stage) {
    return new Path(partition("metrics"), "stage=" + stage);
  }

  private Path partition(String table) {
    return new Path(new Path(rootPath(), table), "run_date=" + runDate);
  }
}
