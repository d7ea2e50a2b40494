package dev.nightjar.model;

import dev.nightjar.config.EngineKind;
import dev.nightjar.io.InputException;
import dev.nightjar.io.PlainNames;
import java.util.Arrays;

/**
 * Checks of one field of a JSON document that was read and is not trusted ({@code serving.json},
 * {@code model.json}, the registry's entries and alias events): each returns the value when it lies
 * in its domain and otherwise fails with an {@link InputException} naming the file and the field.
 */
public final class DocumentChecks {
  /** Values in one image: far above any image a zoo network reads (3 × 1024 × 1024). */
  public static final long MAX_IMAGE_VALUES = 1L << 24;

  /** Far above any classifier Nightjar trains. */
  public static final int MAX_CLASSES = 1 << 16;

  /** The largest accuracy loss a tolerance may allow, as {@code optimize.tolerance-points}. */
  public static final double MAX_TOLERANCE_POINTS = 100;

  private DocumentChecks() {}

  /** A string that is present and not blank. */
  public static String required(String value, String field, String file) {
    if (value == null || value.isBlank()) {
      throw new InputException(file + ": no " + field);
    }
    return value;
  }

  /** A string that is present, possibly empty. */
  public static String present(String value, String field, String file) {
    if (value == null) {
      throw new InputException(file + ": no " + field);
    }
    return value;
  }

  /** A name that can be one path segment ({@link PlainNames}). */
  public static String plainName(String value, String field, String file) {
    if (!PlainNames.isPlain(value)) {
      throw new InputException(
          file + ": " + field + " '" + value + "' is no plain name (letters, digits, '_' and '-')");
    }
    return value;
  }

  /** The label of an {@link EngineKind}. */
  public static String engine(String value, String file) {
    String engine = required(value, "engine", file);
    if (Arrays.stream(EngineKind.values()).noneMatch(kind -> kind.label().equals(engine))) {
      throw new InputException(file + ": unknown engine '" + engine + "'");
    }
    return engine;
  }

  /** A SHA-256 digest in hexadecimal. */
  public static String sha256(String value, String file) {
    if (value == null || !value.matches("[0-9a-fA-F]{64}")) {
      throw new InputException(file + ": sha256 is not a SHA-256 in hexadecimal: " + value);
    }
    return value;
  }

  /** An accuracy: a finite fraction in [0, 1]. */
  public static double accuracy(double value, String field, String file) {
    if (!(value >= 0 && value <= 1)) {
      throw new InputException(file + ": " + field + " " + value + " is not in [0, 1]");
    }
    return value;
  }

  /** An accuracy tolerance in percentage points, as {@code optimize.tolerance-points} takes. */
  public static double tolerancePoints(double value, String field, String file) {
    if (!(value >= 0 && value <= MAX_TOLERANCE_POINTS)) {
      throw new InputException(
          file + ": " + field + " " + value + " is not in [0, " + MAX_TOLERANCE_POINTS + "]");
    }
    return value;
  }

  /** Channels, height and width: three positive sizes of at most {@link #MAX_IMAGE_VALUES}. */
  public static int[] imageShape(int[] shape, String field, String file) {
    if (shape == null || shape.length != 3) {
      throw new InputException(
          file
              + ": "
              + field
              + " must be {channels, height, width}, not "
              + Arrays.toString(shape));
    }
    long values = 1;
    for (int size : shape) {
      if (size < 1) {
        throw new InputException(file + ": " + field + " " + Arrays.toString(shape));
      }
      values *= size;
      if (values > MAX_IMAGE_VALUES) {
        throw new InputException(
            file
                + ": "
                + field
                + " "
                + Arrays.toString(shape)
                + " holds more than "
                + MAX_IMAGE_VALUES
                + " values");
      }
    }
    return shape;
  }

  /** A number of classes in [2, {@link #MAX_CLASSES}]. */
  public static int numClasses(int value, String field, String file) {
    if (value < 2 || value > MAX_CLASSES) {
      throw new InputException(
          file + ": " + field + " " + value + " is not in [2, " + MAX_CLASSES + "]");
    }
    return value;
  }
}
