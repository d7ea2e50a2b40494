package dev.nightjar.model;

import static dev.nightjar.model.DocumentChecks.accuracy;
import static dev.nightjar.model.DocumentChecks.engine;
import static dev.nightjar.model.DocumentChecks.imageShape;
import static dev.nightjar.model.DocumentChecks.numClasses;
import static dev.nightjar.model.DocumentChecks.required;
import static dev.nightjar.model.DocumentChecks.sha256;
import static dev.nightjar.model.DocumentChecks.tolerancePoints;

import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads {@code serving.json} and {@code model.json}, which are not trusted: a document that parses
 * but lacks a field the readers use, or holds one out of its domain (an unknown engine, a digest
 * that is no SHA-256, an accuracy that is not in [0, 1], an image shape that is not three positive
 * sizes or too large to allocate), is an {@link InputException} naming the file, rather than a
 * failure further on. The checks are {@link DocumentChecks}'.
 */
public final class ModelDocuments {
  private ModelDocuments() {}

  public static ServingDecision readServing(Configuration conf, Path file) {
    ServingDecision decision = JsonFiles.read(conf, file, ServingDecision.class);
    String name = file.toString();
    required(decision.variant(), "variant", name);
    engine(decision.engine(), name);
    required(decision.file(), "file", name);
    sha256(decision.sha256(), name);
    required(decision.version(), "version", name);
    accuracy(decision.testAccuracy(), "testAccuracy", name);
    accuracy(decision.baselineAccuracy(), "baselineAccuracy", name);
    tolerancePoints(decision.tolerancePoints(), "tolerancePoints", name);
    imageShape(decision.imageShape(), "imageShape", name);
    numClasses(decision.numClasses(), "numClasses", name);
    return decision;
  }

  public static ModelMetadata readMetadata(Configuration conf, Path file) {
    ModelMetadata metadata = JsonFiles.read(conf, file, ModelMetadata.class);
    String name = file.toString();
    required(metadata.version(), "version", name);
    sha256(metadata.sha256(), name);
    imageShape(metadata.inputShape(), "inputShape", name);
    List<String> classes = metadata.classNames();
    if (classes == null || classes.size() < 2 || classes.size() > DocumentChecks.MAX_CLASSES) {
      throw new InputException(
          name
              + ": classNames must name from 2 to "
              + DocumentChecks.MAX_CLASSES
              + " classes, not "
              + classes);
    }
    if (classes.contains(null)) {
      throw new InputException(name + ": classNames holds null");
    }
    return metadata;
  }
}
