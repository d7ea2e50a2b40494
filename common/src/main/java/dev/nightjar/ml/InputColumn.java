package dev.nightjar.ml;

import dev.nightjar.config.ImageConfig;
import dev.nightjar.source.image.ImageDecoder;
import java.util.Arrays;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads what a {@link NightjarModel} is given from the input column's type, on the driver, before
 * any task runs.
 */
final class InputColumn {
  static final String ENCODED = "encoded";
  static final String PIXELS = "pixels";
  static final String EXPECTED =
      "binary (an encoded PNG, JPEG, BMP or GIF image; raw 8-bit pixels with "
          + "binaryFormat = pixels), the image struct of spark.read().format(\"image\"), or an array of numbers "
          + "(one per pixel, 0 to 255, channel-major)";

  private InputColumn() {}

  /**
   * How to read {@code column}'s values as the model's input.
   *
   * @param shape the model's {@code {channels, height, width}}
   * @param binaryFormat what a binary column holds: {@value #ENCODED} images or raw {@value
   *     #PIXELS}
   * @throws IllegalArgumentException when the column is missing or of a type no reader takes
   */
  static PixelSource pixelSource(
      StructType schema, String column, String binaryFormat, int[] shape, long maxImagePixels) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(
          "NightjarModel: input column '"
              + column
              + "' not found among "
              + Arrays.toString(schema.fieldNames())
              + "; set it with setInputCol. It must be "
              + EXPECTED);
    }
    DataType type = schema.apply(column).dataType();
    int pixels = shape[0] * shape[1] * shape[2];
    if (type instanceof BinaryType) {
      return binaryFormat.equals(PIXELS)
          ? new PixelSource.RawPixels(pixels)
          : new PixelSource.EncodedImage(
              new ImageDecoder(
                  shape[0],
                  shape[1],
                  shape[2],
                  maxImagePixels,
                  ImageConfig.builder().build().maxBytes()));
    }
    if (type instanceof ArrayType array && array.elementType() instanceof NumericType) {
      return new PixelSource.PixelArray(pixels, array.elementType().equals(DataTypes.ByteType));
    }
    if (type instanceof StructType struct && SparkImages.fields(struct) != null) {
      return new PixelSource.SparkImage(
          new ImageDecoder(
              shape[0],
              shape[1],
              shape[2],
              maxImagePixels,
              ImageConfig.builder().build().maxBytes()),
          SparkImages.fields(struct));
    }
    throw new IllegalArgumentException(
        "NightjarModel: input column '"
            + column
            + "' is of type "
            + type.simpleString()
            + "; it must be "
            + EXPECTED);
  }
}
