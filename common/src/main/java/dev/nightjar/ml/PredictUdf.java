package dev.nightjar.ml;

import dev.nightjar.data.PixelScaling;
import dev.nightjar.infer.BorrowedModel;
import dev.nightjar.infer.ExecutorModelCache;
import dev.nightjar.io.SerializableHadoopConf;
import dev.nightjar.model.ModelRef;
import dev.nightjar.source.image.ImageDecoder;
import dev.nightjar.source.image.ImageRejected;
import org.apache.spark.sql.api.java.UDF1;

/**
 * The SQL function {@link NightjarFunctions} registers: an encoded image in, its predicted class
 * index out, null when it does not decode. SQL calls it row by row, so it scores batches of one, on
 * the engine this JVM's executor model cache holds for the model: the model is loaded once per JVM,
 * never per row.
 */
final class PredictUdf implements UDF1<Object, Integer> {
  private static final long serialVersionUID = 1L;
  private final ModelRef model;
  private final SerializableHadoopConf hadoopConf;
  private final ImageDecoder decoder;
  private final String name;

  PredictUdf(ModelRef model, SerializableHadoopConf hadoopConf, ImageDecoder decoder, String name) {
    this.model = model;
    this.hadoopConf = hadoopConf;
    this.decoder = decoder;
    this.name = name;
  }

  @Override
  public Integer call(Object encoded) {
    if (encoded == null) {
      return null;
    }
    if (!(encoded instanceof byte[] bytes)) {
      throw new IllegalArgumentException(
          name
              + " takes a binary column of encoded images (PNG, JPEG, BMP, GIF), not "
              + encoded.getClass().getSimpleName()
              + " values");
    }
    byte[] pixels;
    try {
      pixels = decoder.decode(bytes);
    } catch (ImageRejected e) {
      return null;
    }
    float[] features = new float[pixels.length];
    PixelScaling.toUnitRange(pixels, features, 0);
    try (BorrowedModel borrowed = ExecutorModelCache.jvm().borrow(model, hadoopConf.get())) {
      return argMax(borrowed.engine().predict(features, 1));
    }
  }

  /** The first most probable class, as the infer stage ranks them. */
  private static int argMax(float[] probabilities) {
    int best = 0;
    for (int c = 1; c < probabilities.length; c++) {
      if (probabilities[c] > probabilities[best]) {
        best = c;
      }
    }
    return best;
  }
}
