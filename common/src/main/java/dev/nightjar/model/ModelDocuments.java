package dev.nightjar.model;

import dev.nightjar.config.EngineKind;
import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads {@code serving.json} and {@code model.json}, which are not trusted: a document that parses
 * but lacks a field the readers use, or holds one out of its domain (an unknown engine, a digest
 * that is no SHA-256, an image shape that is not three positive sizes or too large to allocate), is
 * an {@link InputException} naming the file, rather than a failure further on.
 */
public final class ModelDocuments {
  /** Values in one image: far above any image a zoo network reads (3 × 1024 × 1024). */
  static final long MAX_IMAGE_VALUES = 1L << 24;

  /** Far above any classifier Nightjar trains. */
  static final int MAX_CLASSES = 1 << 16;

  private ModelDocuments() {}

  public static ServingDecision readServing(Configuration conf, Path file) {
    ServingDecision decision = JsonFiles.read(conf, file, ServingDecision.class);
    String name = file.toString();
    required(decision.variant(), "variant", name);
    String engine = required(decision.engine(), "engine", name);
    if (Arrays.stream(EngineKind.values()).noneMatch(kind -> kind.label().equals(engine))) {
      throw new InputException(name + ": unknown engine '" + engine + "'");
    }
    required(decision.file(), "file", name);
    sha256(decision.sha256(), name);
    required(decision.version(), "version", name);
    imageShape(decision.imageShape(), "imageShape", name);
    if (decision.numClasses() < 2 || decision.numClasses() > MAX_CLASSES) {
      throw new InputException(
          name + ": numClasses " + decision.numClasses() + " is not in [2, " + MAX_CLASSES + "]");
    }
    return decision;
  }

  public static ModelMetadata readMetadata(Configuration conf, Path file) {
    ModelMetadata metadata = JsonFiles.read(conf, file, ModelMetadata.class);
    String name = file.toString();
    required(metadata.version(), "version", name);
    sha256(metadata.sha256(), name);
    imageShape(metadata.inputShape(), "inputShape", name);
    List<String> classes = metadata.classNames();
    if (classes == null || classes.size() < 2 || classes.size() > MAX_CLASSES) {
      throw new InputException(
          name + ": classNames must name from 2 to " + MAX_CLASSES + " classes, not " + classes);
    }
    if (classes.contains(null)) {
      throw new InputException(name + ": classNames holds null");
    }
    return metadata;
  }

  private static String required(String value, String field, String name) {
    if (value == null || value.isBlank()) {
      throw new InputException(name + ": no " + field);
    }
    return value;
  }

  private static void sha256(String value, String name) {
    if (value == null || !value.matches("[0-9a-fA-F]{64}")) {
      throw new InputException(name + ": sha256 is not a SHA-256 in hexadecimal: " + value);
    }
  }

  private static void imageShape(int[] shape, String field, String name) {
    if (shape == null || shape.length != 3) {
      throw new InputException(
          name
              + ": "
              + field
              + " must be {channels, height, width}, not "
              + Arrays.toString(shape));
    }
    long values = 1;
    for (int size : shape) {
      if (size < 1) {
        throw new InputException(name + ": " + field + " " + Arrays.toString(shape));
      }
      values *= size;
      if (values > MAX_IMAGE_VALUES) {
        throw new InputException(
            name
                + ": "
                + field
                + " "
                + Arrays.toString(shape)
                + " holds more than "
                + MAX_IMAGE_VALUES
                + " values");
      }
    }
  }
}
