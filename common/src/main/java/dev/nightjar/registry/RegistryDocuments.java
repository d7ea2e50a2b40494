package dev.nightjar.registry;

import static dev.nightjar.model.DocumentChecks.accuracy;
import static dev.nightjar.model.DocumentChecks.engine;
import static dev.nightjar.model.DocumentChecks.imageShape;
import static dev.nightjar.model.DocumentChecks.numClasses;
import static dev.nightjar.model.DocumentChecks.plainName;
import static dev.nightjar.model.DocumentChecks.present;
import static dev.nightjar.model.DocumentChecks.required;
import static dev.nightjar.model.DocumentChecks.sha256;
import static dev.nightjar.model.DocumentChecks.tolerancePoints;

import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.model.ModelPaths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads the registry's documents, which are not trusted: an entry ({@code model.json}) or an alias
 * event that parses but lacks a field the registry uses, holds one out of its domain, or disagrees
 * with where it lies (a version other than its folder's, an alias other than its folder's, a
 * sequence other than its file's number) is an {@link InputException} naming the file and the
 * field, and so is an entry whose model file lies outside the entry's own folder.
 */
final class RegistryDocuments {
  private RegistryDocuments() {}

  /** The entry of {@code version}, read from {@code file}, its {@code model.json}. */
  static RegisteredModel readModel(Configuration conf, Path file, String version) {
    return check(JsonFiles.read(conf, file, RegisteredModel.class), file, version, conf);
  }

  /**
   * {@code model}, the entry of {@code version} kept as {@code file}, if every field is in its
   * domain and its model file lies in the entry's own folder, where registration copies it: a
   * promotion or rollback then reads no file elsewhere.
   */
  static RegisteredModel check(
      RegisteredModel model, Path file, String version, Configuration conf) {
    String name = file.toString();
    sameAsFolder(plainName(model.version(), "version", name), version, "version", name);
    if (model.kind() == null) {
      throw new InputException(name + ": no kind");
    }
    present(model.parent(), "parent", name);
    present(model.variant(), "variant", name);
    if (model.kind() == RegisteredModel.Kind.SERVING) {
      required(model.parent(), "parent", name);
      required(model.variant(), "variant", name);
    }
    engine(model.engine(), name);
    ModelPaths.requireInside(required(model.file(), "file", name), file.getParent(), conf, name);
    sha256(model.sha256(), name);
    accuracy(model.testAccuracy(), "testAccuracy", name);
    accuracy(model.baselineAccuracy(), "baselineAccuracy", name);
    tolerancePoints(model.tolerancePoints(), "tolerancePoints", name);
    imageShape(model.imageShape(), "imageShape", name);
    numClasses(model.numClasses(), "numClasses", name);
    required(model.runId(), "runId", name);
    required(model.runDate(), "runDate", name);
    required(model.registeredAt(), "registeredAt", name);
    return model;
  }

  /** The move of {@code alias} numbered {@code sequence}, read from {@code file}. */
  static AliasEvent readEvent(Configuration conf, Path file, String alias, long sequence) {
    AliasEvent event = JsonFiles.read(conf, file, AliasEvent.class);
    String name = file.toString();
    sameAsFolder(event.alias(), alias, "alias", name);
    if (event.sequence() != sequence) {
      throw new InputException(
          name + ": sequence " + event.sequence() + " is not its file's number " + sequence);
    }
    if (!AliasEvent.PROMOTE.equals(event.action()) && !AliasEvent.ROLLBACK.equals(event.action())) {
      throw new InputException(
          name
              + ": action '"
              + event.action()
              + "' is neither "
              + AliasEvent.PROMOTE
              + " nor "
              + AliasEvent.ROLLBACK);
    }
    plainName(event.version(), "version", name);
    if (!present(event.from(), "from", name).isEmpty()) {
      plainName(event.from(), "from", name);
    }
    required(event.by(), "by", name);
    required(event.at(), "at", name);
    required(event.reason(), "reason", name);
    return event;
  }

  private static void sameAsFolder(String value, String folder, String field, String name) {
    if (!folder.equals(value)) {
      throw new InputException(
          name + ": " + field + " '" + value + "' is not its folder's name '" + folder + "'");
    }
  }
}
