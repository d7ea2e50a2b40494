package dev.nightjar.source;

import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.Rejection;
import dev.nightjar.data.Split;
import dev.nightjar.source.image.ImageDecoder;
import dev.nightjar.source.image.ImageRejected;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Turns one table row, whatever its format, into an example: a label (a class index or a class
 * name), and either an encoded image or one number from 0 to 255 per pixel. The split is drawn from
 * a seeded hash of the row's id, so reruns split the same way.
 */
final class TableRowDecoder implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, Integer> classIndex;
  private final ImageDecoder imageDecoder;
  private final int pixels;
  private final double testFraction;
  private final double validationFraction;
  private final long seed;
  private final boolean labelsOptional;

  /**
   * @param labelsOptional a row without a label is unlabelled (inference) rather than rejected
   */
  TableRowDecoder(
      Map<String, Integer> classIndex,
      ImageDecoder imageDecoder,
      int pixels,
      double testFraction,
      double validationFraction,
      long seed,
      boolean labelsOptional) {
    this.classIndex = Map.copyOf(classIndex);
    this.imageDecoder = imageDecoder;
    this.pixels = pixels;
    this.testFraction = testFraction;
    this.validationFraction = validationFraction;
    this.seed = seed;
    this.labelsOptional = labelsOptional;
  }

  /**
   * @param image the encoded image, or null when the features are {@code values}
   * @param values one value per pixel, or null when there is an image
   */
  Decoded decode(
      String source, String location, String id, String label, byte[] image, List<String> values) {
    String key = label == null ? "" : label.trim();
    Integer index =
        key.isEmpty() && labelsOptional ? Integer.valueOf(Example.UNLABELLED) : classIndex.get(key);
    if (index == null) {
      return reject(
          source,
          location,
          "label '" + label + "' is not one of the " + classIndex.size() + " classes");
    }
    byte[] decoded;
    if (image != null) {
      try {
        decoded = imageDecoder.decode(image);
      } catch (ImageRejected e) {
        return reject(source, location, e.getMessage());
      }
    } else {
      if (values.size() != pixels) {
        return reject(
            source, location, "has " + values.size() + " pixel values, expected " + pixels);
      }
      decoded = new byte[pixels];
      for (int i = 0; i < pixels; i++) {
        String text = values.get(i) == null ? "" : values.get(i).trim();
        int value;
        try {
          double number = Double.parseDouble(text);
          value = (int) number;
          if (value != number || value < 0 || value > 255) {
            return reject(
                source,
                location,
                "pixel " + i + " = " + text + " is not a whole number from 0 to 255");
          }
        } catch (NumberFormatException e) {
          return reject(source, location, "pixel " + i + " = '" + text + "' is not a number");
        }
        decoded[i] = (byte) value;
      }
    }
    return Decoded.of(new Example(id, split(id), index, decoded));
  }

  private Split split(String id) {
    long h = id.hashCode() * 0x9E3779B97F4A7C15L + seed;
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 29;
    double u = (h >>> 11) / (double) (1L << 53);
    return u < testFraction
        ? Split.TEST
        : u < testFraction + validationFraction ? Split.VALIDATION : Split.TRAIN;
  }

  /** Why an encoded image of {@code bytes} is refused, or null. */
  String imageSizeProblem(long bytes) {
    return imageDecoder.sizeProblem(bytes);
  }

  private static Decoded reject(String source, String location, String reason) {
    return Decoded.rejected(new Rejection(source, location, reason, 1));
  }
}
