package dev.nightjar.ml;

import dev.nightjar.source.image.ImageRejected;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Rows of Spark's image data source ({@code spark.read().format("image")}): height, width,
 * nChannels and data, the pixels row by row with their channels in BGR(A) order, as ImageIO gave
 * them. They are turned back into the image ImageIO decoded, so that resizing it gives what
 * decoding the file gives.
 */
final class SparkImages {
  private SparkImages() {}

  /** Where a struct keeps each field. */
  record Fields(int origin, int height, int width, int channels, int data)
      implements Serializable {}

  /** The struct's fields, or null when it is not an image struct. */
  static Fields fields(StructType struct) {
    int height = index(struct, "height", DataTypes.IntegerType);
    int width = index(struct, "width", DataTypes.IntegerType);
    int channels = index(struct, "nChannels", DataTypes.IntegerType);
    int data = index(struct, "data", DataTypes.BinaryType);
    if (height < 0 || width < 0 || channels < 0 || data < 0) {
      return null;
    }
    return new Fields(index(struct, "origin", DataTypes.StringType), height, width, channels, data);
  }

  static BufferedImage toImage(Row row, Fields fields) throws ImageRejected {
    int height = row.getInt(fields.height());
    int width = row.getInt(fields.width());
    int channels = row.getInt(fields.channels());
    byte[] data = (byte[]) row.get(fields.data());
    if (height <= 0 || width <= 0) {
      // The data source's row for a file it could not decode (with dropInvalid off).
      String origin = fields.origin() < 0 ? "the file" : row.getString(fields.origin());
      throw new ImageRejected("Spark's image data source could not decode " + origin);
    }
    if (data == null || data.length != (long) height * width * channels) {
      throw new ImageRejected(
          "has "
              + (data == null ? 0 : data.length)
              + " bytes of data for "
              + width
              + "x"
              + height
              + " pixels of "
              + channels
              + " channels");
    }
    BufferedImage image =
        switch (channels) {
          case 1 -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
          case 3 -> new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
          case 4 -> new BufferedImage(width, height, BufferedImage.TYPE_4BYTE_ABGR);
          default ->
              throw new ImageRejected(
                  "has " + channels + " channels; Spark's image structs have 1, 3 or 4");
        };
    byte[] raster = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    if (channels == 4) {
      // BGRA to ABGR.
      for (int i = 0; i < data.length; i += 4) {
        raster[i] = data[i + 3];
        raster[i + 1] = data[i];
        raster[i + 2] = data[i + 1];
        raster[i + 3] = data[i + 2];
      }
    } else {
      // Grey is one byte a pixel; TYPE_3BYTE_BGR keeps B, G, R as the struct does.
      System.arraycopy(data, 0, raster, 0, data.length);
    }
    return image;
  }

  private static int index(StructType struct, String name, DataType type) {
    for (int i = 0; i < struct.fields().length; i++) {
      StructField field = struct.fields()[i];
      if (field.name().equals(name) && field.dataType().equals(type)) {
        return i;
      }
    }
    return -1;
  }
}
