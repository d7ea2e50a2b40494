package dev.nightjar.bench;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.PixelScaling;
import dev.nightjar.prepare.Augmenter;
import dev.nightjar.source.ExampleSources;
import dev.nightjar.source.LoadedSource;
import java.util.Iterator;
import org.apache.spark.sql.SparkSession;

/**
 * Nightjar's loading path, measured on its own: plan the source, then on the executors read,
 * decode, (augment) and scale into minibatch arrays, exactly as the prepare stage does before it
 * writes shards. It returns the number of examples loaded.
 */
final class LoadProbe {
  private static final int BATCH = 100;

  private LoadProbe() {}

  static long run(SparkSession spark, NightjarConfig config, int partitions) {
    LoadedSource source =
        ExampleSources.of(config.data(), config.prepare()).load(spark, partitions);
    Augmenter augmenter =
        config.prepare().augment().enabled()
            ? new Augmenter(config.prepare().augment(), config.prepare().seed())
            : null;
    int[] shape = source.imageShape();
    return source
        .records()
        .mapPartitions(decoded -> java.util.List.of(load(decoded, augmenter, shape)).iterator())
        .reduce(Long::sum);
  }

  private static long load(Iterator<Decoded> decoded, Augmenter augmenter, int[] shape) {
    int pixels = shape[0] * shape[1] * shape[2];
    float[] batch = new float[BATCH * pixels];
    long loaded = 0;
    int inBatch = 0;
    while (decoded.hasNext()) {
      Decoded next = decoded.next();
      if (!next.isExample()) {
        continue;
      }
      Example example = next.example();
      byte[] values =
          augmenter == null
              ? example.pixels()
              : augmenter.apply(example.pixels(), shape[0], shape[1], shape[2], example.id());
      PixelScaling.toUnitRange(values, batch, inBatch * pixels);
      inBatch = (inBatch + 1) % BATCH;
      loaded++;
    }
    return loaded;
  }
}
