package dev.nightjar.train;

import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.impl.SerializedDataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Loads the shards of one fit for DL4J's workers and records each one loaded, with its examples, in
 * a Spark accumulator. Spark keeps only successful tasks' updates, so a task on a killed executor
 * counts nothing and its rerun counts once: the record is what the averaged model was fitted on.
 */
final class FittedShards implements DataSetLoader {
  private static final long serialVersionUID = 1L;

  /** One shard a successful task fitted. */
  record Fit(String path, long examples) implements Serializable {}

  private final CollectionAccumulator<Fit> fits;

  private FittedShards(CollectionAccumulator<Fit> fits) {
    this.fits = fits;
  }

  /**
   * A loader whose accumulator is registered with {@code sc}, unnamed: a named one would show every
   * shard's record on the UI's stage pages.
   */
  static FittedShards register(SparkContext sc) {
    CollectionAccumulator<Fit> fits = new CollectionAccumulator<>();
    sc.register(fits);
    return new FittedShards(fits);
  }

  @Override
  public DataSet load(Source source) throws IOException {
    DataSet shard = new SerializedDataSetLoader().load(source);
    fits.add(new Fit(source.getPath(), shard.numExamples()));
    return shard;
  }

  /** What the fit covered, read on the driver once it is over. */
  FitCount count() {
    List<Fit> all = fits.value();
    Map<String, Long> byShard = new HashMap<>();
    for (Fit fit : all) {
      byShard.put(fit.path(), fit.examples());
    }
    return new FitCount(
        byShard.values().stream().mapToLong(Long::longValue).sum(), byShard.keySet(), all.size());
  }
}
