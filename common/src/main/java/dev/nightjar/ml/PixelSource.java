package dev.nightjar.ml;

import dev.nightjar.source.image.ImageDecoder;
import dev.nightjar.source.image.ImageRejected;
import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * Turns one value of the input column into the model's input: 8-bit pixels, channel-major, of the
 * model's shape. A value that cannot be turned into them is rejected with the reason.
 */
sealed interface PixelSource extends Serializable {
  byte[] pixels(Object value) throws ImageRejected;

  /**
   * An encoded image (PNG, JPEG, BMP, GIF), decoded and resized as the infer stage decodes image
   * files.
   */
  record EncodedImage(ImageDecoder decoder) implements PixelSource {
    @Override
    public byte[] pixels(Object value) throws ImageRejected {
      return decoder.decode((byte[]) value);
    }
  }

  /**
   * A row of Spark's image data source, resized as the infer stage resizes the images it decodes.
   */
  record SparkImage(ImageDecoder decoder, SparkImages.Fields fields) implements PixelSource {
    @Override
    public byte[] pixels(Object value) throws ImageRejected {
      return decoder.resize(SparkImages.toImage((Row) value, fields));
    }
  }

  /** Raw 8-bit pixels of the model's shape, as the examples table holds them. */
  record RawPixels(int count) implements PixelSource {
    @Override
    public byte[] pixels(Object value) throws ImageRejected {
      byte[] pixels = (byte[]) value;
      if (pixels.length != count) {
        throw new ImageRejected("has " + pixels.length + " pixels, expected " + count);
      }
      return pixels;
    }
  }

  /**
   * One number per pixel, whole numbers from 0 to 255; bytes are read unsigned, as in a binary
   * column.
   */
  record PixelArray(int count, boolean bytes) implements PixelSource {
    @Override
    public byte[] pixels(Object value) throws ImageRejected {
      scala.collection.Seq<?> values = (scala.collection.Seq<?>) value;
      if (values.length() != count) {
        throw new ImageRejected("has " + values.length() + " pixel values, expected " + count);
      }
      byte[] pixels = new byte[count];
      scala.collection.Iterator<?> each = values.iterator();
      for (int i = 0; i < count; i++) {
        Object number = each.next();
        if (number == null) {
          throw new ImageRejected("pixel " + i + " is null");
        }
        if (bytes) {
          pixels[i] = (Byte) number;
          continue;
        }
        double v = ((Number) number).doubleValue();
        if (v != Math.rint(v) || v < 0 || v > 255) {
          throw new ImageRejected(
              "pixel " + i + " = " + number + " is not a whole number from 0 to 255");
        }
        pixels[i] = (byte) (int) v;
      }
      return pixels;
    }
  }
}
