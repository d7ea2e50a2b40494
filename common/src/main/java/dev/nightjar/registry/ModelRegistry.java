package dev.nightjar.registry;

import dev.nightjar.config.ConfigException;
import dev.nightjar.io.AtomicFiles;
import dev.nightjar.io.InputException;
import dev.nightjar.io.InputReadException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PlainNames;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.model.ModelDocuments;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelPaths;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ServingDecision;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The registry of an output root:
 *
 * <pre>
 * root/registry/models/VERSION/model.json    a {@link RegisteredModel}, written last
 * root/registry/models/VERSION/FILE          the registry's copy of the model file, verified
 * root/registry/aliases/ALIAS/NNNNNNNN.json  an {@link AliasEvent} per promotion or rollback
 * </pre>
 *
 * A model is registered when its stage commits: its file is copied, so that the registered model
 * outlives its run date's outputs being replaced or removed. Promotion and rollback check the
 * copy's digest, and promotion the accuracy tolerance, before they move an alias.
 */
public final class ModelRegistry {
  public static final String FOLDER = "registry";
  private static final String ENTRY = "model.json";

  private final Configuration conf;
  private final Path models;
  private final Aliases aliases;
  private final Clock clock;

  public ModelRegistry(Configuration conf, String outputRoot) {
    this(conf, outputRoot, Clock.systemUTC());
  }

  ModelRegistry(Configuration conf, String outputRoot, Clock clock) {
    Path dir = new Path(new Path(outputRoot), FOLDER);
    this.conf = conf;
    this.models = new Path(dir, "models");
    this.aliases = new Aliases(conf, new Path(dir, "aliases"));
    this.clock = clock;
  }

  /** Registers the run date's trained model, as the train stage committed it. */
  public RegisteredModel registerTrained(OutputLayout layout) {
    Path modelDir = PublishedOutputs.resolve(conf, layout, layout.models());
    ModelMetadata trained = ModelStore.readMetadata(conf, modelDir);
    RegisteredModel model =
        new RegisteredModel(
            trained.version(),
            RegisteredModel.Kind.TRAINED,
            "",
            "",
            "dl4j",
            new Path(modelDir, ModelStore.MODEL_FILE).toString(),
            trained.sha256(),
            trained.testAccuracy(),
            trained.testAccuracy(),
            0,
            trained.inputShape(),
            trained.classNames().size(),
            trained.runId(),
            layout.runDate().toString(),
            clock.instant().toString());
    return register(model);
  }

  /** Registers the serving model the optimize stage chose for the run date, as it committed it. */
  public RegisteredModel registerServing(OutputLayout layout, String runId) {
    Path decisionFile =
        PublishedOutputs.resolve(conf, layout, new Path(layout.optimized(), ServingDecision.FILE));
    ServingDecision decision = ModelDocuments.readServing(conf, decisionFile);
    // The stage wrote the file below the output root; the registry copies nothing from elsewhere.
    ModelPaths.requireBelow(
        decision.file(), layout.rootPath(), List.of(), conf, decisionFile.toString());
    ModelMetadata trained =
        ModelStore.readMetadata(conf, PublishedOutputs.resolve(conf, layout, layout.models()));
    RegisteredModel model =
        new RegisteredModel(
            decision.version(),
            RegisteredModel.Kind.SERVING,
            trained.version(),
            decision.variant(),
            decision.engine(),
            decision.file(),
            decision.sha256(),
            decision.testAccuracy(),
            decision.baselineAccuracy(),
            decision.tolerancePoints(),
            decision.imageShape(),
            decision.numClasses(),
            runId,
            layout.runDate().toString(),
            clock.instant().toString());
    return register(model);
  }

  /**
   * Copies the model's file into the registry and records it. The same version with the same digest
   * is registered once; a version whose digest differs (the same trained model optimized again into
   * a different file) is registered with its digest's first characters appended.
   */
  private RegisteredModel register(RegisteredModel model) {
    String version = model.version();
    Optional<RegisteredModel> existing = model(version);
    if (existing.isPresent()) {
      if (existing.get().sha256().equalsIgnoreCase(model.sha256())) {
        return existing.get();
      }
      version = version + "-" + model.sha256().substring(0, 8);
      existing = model(version);
      if (existing.isPresent()) {
        return existing.get();
      }
    }
    if (!PlainNames.isPlain(version)) {
      throw new IllegalArgumentException(
          "model version " + version + " is no plain name (letters, digits, '_' and '-')");
    }
    Path dir = new Path(models, version);
    Path source = new Path(model.file());
    Path copy = new Path(dir, source.getName());
    Path entry = entry(version);
    RegisteredModel registered = withVersionAndFile(model, version, copy.toString());
    // Checked before anything is written: an entry every later read would refuse must not exist.
    RegistryDocuments.check(registered, entry, version, conf);
    ModelDigest.copyVerified(conf, source, copy, model.sha256());
    AtomicFiles.replace(
        conf,
        entry,
        JsonFiles.toJson(registered).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return registered;
  }

  /** Every registered model, oldest first. */
  public List<RegisteredModel> models() {
    List<RegisteredModel> all = new ArrayList<>();
    for (FileStatus status : Aliases.list(conf, models)) {
      if (status.isDirectory()) {
        model(status.getPath().getName()).ifPresent(all::add);
      }
    }
    all.sort(Comparator.comparing(RegisteredModel::registeredAt));
    return all;
  }

  /**
   * The model registered as {@code version}, if any; an entry that is not a valid one is an {@link
   * InputException} naming it ({@link RegistryDocuments}).
   */
  public Optional<RegisteredModel> model(String version) {
    if (!PlainNames.isPlain(version)) {
      return Optional.empty();
    }
    Path entry = entry(version);
    try {
      if (!entry.getFileSystem(conf).exists(entry)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new InputReadException(entry, e);
    }
    return Optional.of(RegistryDocuments.readModel(conf, entry, version));
  }

  /** Where the entry of {@code version}, a plain name, lies: its {@code model.json}. */
  public Path entry(String version) {
    return new Path(new Path(models, version), ENTRY);
  }

  /** Every alias that was ever moved. */
  public List<String> aliases() {
    return aliases.names();
  }

  /** The version {@code alias} names, if any. */
  public Optional<String> alias(String alias) {
    return PlainNames.isPlain(alias)
        ? aliases.current(alias).map(Aliases.Moved::version)
        : Optional.empty();
  }

  /** The moves of {@code alias}, oldest first. */
  public List<AliasEvent> history(String alias) {
    return PlainNames.isPlain(alias) ? aliases.history(alias) : List.of();
  }

  /**
   * The model {@code name} stands for: an alias, else a version. Fails naming {@code key} and what
   * the registry holds when it is neither.
   */
  public RegisteredModel resolve(String name, String key) {
    Optional<Aliases.Moved> aliased =
        PlainNames.isPlain(name) ? aliases.current(name) : Optional.empty();
    if (aliased.isPresent()) {
      Aliases.Moved moved = aliased.get();
      return model(moved.version())
          .orElseThrow(
              () ->
                  new InputException(
                      moved.file()
                          + ": alias "
                          + name
                          + " names version "
                          + moved.version()
                          + ", which is not in the registry "
                          + models));
    }
    if (!history(name).isEmpty()) {
      throw new ConfigException(
          key + " = " + name + ": the alias names no model: every promotion was rolled back");
    }
    return model(name).orElseThrow(() -> unknown(name, key));
  }

  /**
   * Points {@code alias} at {@code version}. Refused for a version not registered, a serving model
   * that lost more accuracy than its tolerance, or a file whose digest is not the recorded one.
   */
  public AliasEvent promote(String version, String alias, String by, String reason) {
    requireAliasAndReason(alias, reason);
    RegisteredModel model = model(version).orElseThrow(() -> unknown(version, "promote"));
    if (!model.withinTolerance()) {
      throw new InputException(
          String.format(
              "refusing to promote %s to %s: its test accuracy %.2f%% is %.2f points below the "
                  + "baseline's %.2f%%, beyond its %.2f-point tolerance",
              version,
              alias,
              model.testAccuracy() * 100,
              model.dropPoints(),
              model.baselineAccuracy() * 100,
              model.tolerancePoints()));
    }
    verify(model);
    String from = aliases.current(alias).map(Aliases.Moved::version).orElse("");
    return aliases.append(
        alias, AliasEvent.PROMOTE, version, from, by, clock.instant().toString(), reason);
  }

  /** Points {@code alias} back at the version it named before its latest promotion. */
  public AliasEvent rollback(String alias, String by, String reason) {
    requireAliasAndReason(alias, reason);
    String current =
        aliases
            .current(alias)
            .map(Aliases.Moved::version)
            .orElseThrow(
                () -> new ConfigException("alias " + alias + " names no model to roll back"));
    String previous =
        aliases
            .previous(alias)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "alias "
                            + alias
                            + " has no earlier version to roll back to from "
                            + current));
    RegisteredModel model =
        model(previous)
            .orElseThrow(
                () ->
                    new InputException(
                        "version " + previous + " is not in the registry " + models));
    verify(model);
    return aliases.append(
        alias, AliasEvent.ROLLBACK, previous, current, by, clock.instant().toString(), reason);
  }

  /** Fails unless the registry's copy still has the recorded digest. */
  private void verify(RegisteredModel model) {
    String actual = ModelDigest.sha256(conf, new Path(model.file()));
    if (!actual.equalsIgnoreCase(model.sha256())) {
      throw new InputException(
          model.file()
              + ": its SHA-256 is "
              + actual
              + ", not the recorded "
              + model.sha256()
              + "; refusing to point an alias at a model file that changed after it was registered");
    }
  }

  private static void requireAliasAndReason(String alias, String reason) {
    if (!PlainNames.isPlain(alias)) {
      throw new ConfigException(
          "alias '" + alias + "' is no plain name (letters, digits, '_' and '-')");
    }
    if (reason == null || reason.isBlank()) {
      throw new ConfigException("say why the alias " + alias + " moves (--reason)");
    }
  }

  private ConfigException unknown(String name, String key) {
    List<RegisteredModel> all = models();
    List<String> latest =
        all.subList(Math.max(0, all.size() - 5), all.size()).stream()
            .map(RegisteredModel::version)
            .toList();
    return new ConfigException(
        key
            + " = "
            + name
            + ": no such alias or version in the registry "
            + models.getParent()
            + "; aliases: "
            + (aliases().isEmpty() ? "none" : String.join(", ", aliases()))
            + "; latest versions: "
            + (latest.isEmpty() ? "none" : String.join(", ", latest)));
  }

  private static RegisteredModel withVersionAndFile(
      RegisteredModel m, String version, String file) {
    return new RegisteredModel(
        version,
        m.kind(),
        m.parent(),
        m.variant(),
        m.engine(),
        file,
        m.sha256(),
        m.testAccuracy(),
        m.baselineAccuracy(),
        m.tolerancePoints(),
        m.imageShape(),
        m.numClasses(),
        m.runId(),
        m.runDate(),
        m.registeredAt());
  }
}
