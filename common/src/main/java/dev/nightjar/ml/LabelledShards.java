package dev.nightjar.ml;

import dev.nightjar.data.DataManifest;
import dev.nightjar.data.Example;
import dev.nightjar.data.PreparedData;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.prepare.ShardWriter;
import dev.nightjar.source.image.ImageRejected;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DataFrame of labelled images as the train stage's input: minibatch shards written by the
 * prepare stage's {@link ShardWriter}, one task per partition, and their manifest. Each row goes to
 * the train, validation or test split by a seeded draw; a row whose image cannot be used is left
 * out and counted.
 */
final class LabelledShards {
  private static final Logger LOG = LoggerFactory.getLogger(LabelledShards.class);

  /** How the rows become examples. */
  record Plan(
      int inputIndex,
      PixelSource source,
      int labelIndex,
      int[] imageShape,
      int numClasses,
      int shardSize,
      double validationFraction,
      double testFraction,
      long seed)
      implements java.io.Serializable {}

  private LabelledShards() {}

  /** Writes the shards and manifest into {@code dir} and returns them as prepared data. */
  static PreparedData write(Dataset<Row> rows, Plan plan, Path dir, String runId) {
    var spark = rows.sparkSession();
    SerializableHadoopConf conf = SerializableHadoopConf.of(spark.sparkContext());
    LongAccumulator skipped =
        spark.sparkContext().longAccumulator("nightjar classifier rows left out");
    String uri = dir.toString();
    List<ShardInfo> shards =
        new ArrayList<>(
            rows.javaRDD()
                .mapPartitionsWithIndex(
                    (partition, input) ->
                        new ShardWriter(
                                new Path(uri),
                                conf.get(),
                                partition,
                                plan.shardSize(),
                                plan.imageShape(),
                                plan.numClasses())
                            .writeAll(new Examples(input, plan, partition, skipped))
                            .iterator(),
                    true)
                .collect());
    shards.sort(Comparator.comparing(ShardInfo::path));
    DataManifest manifest = manifest(shards, plan, rows.javaRDD().getNumPartitions(), runId);
    if (manifest.count(Split.TRAIN) == 0) {
      throw new IllegalArgumentException(
          "NightjarClassifier: no row gave a training example ("
              + skipped.value()
              + " rows could not be used)");
    }
    if (skipped.value() > 0) {
      LOG.warn("Left out {} rows whose input could not be used", skipped.value());
    }
    JsonFiles.write(conf.get(), new Path(dir, OutputLayout.MANIFEST), manifest);
    return new PreparedData(dir, manifest);
  }

  private static DataManifest manifest(
      List<ShardInfo> shards, Plan plan, int partitions, String runId) {
    List<String> classNames =
        IntStream.range(0, plan.numClasses()).mapToObj(Integer::toString).toList();
    return DataManifest.of(
        shards,
        "",
        runId,
        "",
        List.of("DataFrame"),
        plan.imageShape(),
        classNames,
        plan.shardSize(),
        partitions);
  }

  /** One partition's rows as examples, lazily; rows that cannot be used are counted and skipped. */
  private static final class Examples implements Iterator<Example> {
    private final Iterator<Row> rows;
    private final Plan plan;
    private final int partition;
    private final LongAccumulator skipped;
    private final SplittableRandom random;
    private long index;
    private Example next;

    Examples(Iterator<Row> rows, Plan plan, int partition, LongAccumulator skipped) {
      this.rows = rows;
      this.plan = plan;
      this.partition = partition;
      this.skipped = skipped;
      this.random = new SplittableRandom(plan.seed() * 1_000_003L + partition);
    }

    @Override
    public boolean hasNext() {
      while (next == null && rows.hasNext()) {
        next = example(rows.next(), index++);
      }
      return next != null;
    }

    @Override
    public Example next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Example example = next;
      next = null;
      return example;
    }

    private Example example(Row row, long at) {
      // Drawn for every row, used or not, so a row left out does not shift the splits of those
      // after it.
      double draw = random.nextDouble();
      Split split =
          draw < plan.testFraction()
              ? Split.TEST
              : draw < plan.testFraction() + plan.validationFraction()
                  ? Split.VALIDATION
                  : Split.TRAIN;
      Object value = row.get(plan.inputIndex());
      if (value == null || row.isNullAt(plan.labelIndex())) {
        skipped.add(1);
        return null;
      }
      byte[] pixels;
      try {
        pixels = plan.source().pixels(value);
      } catch (ImageRejected e) {
        skipped.add(1);
        return null;
      }
      return new Example(
          "p" + partition + "-" + at, split, label(row.get(plan.labelIndex())), pixels);
    }

    private int label(Object value) {
      double label = ((Number) value).doubleValue();
      if (label != Math.rint(label) || label < 0 || label >= plan.numClasses()) {
        throw new IllegalArgumentException(
            "NightjarClassifier: label "
                + value
                + " is not a class index from 0 to "
                + (plan.numClasses() - 1));
      }
      return (int) label;
    }
  }
}
