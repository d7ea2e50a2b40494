package dev.nightjar.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightjar.config.ConfigException;
import dev.nightjar.config.EngineKind;
import dev.nightjar.config.InferConfig;
import dev.nightjar.infer.ServedModels;
import dev.nightjar.io.InputException;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.model.ModelStore;
import dev.nightjar.testing.CommittedNights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry on a local file system, over run dates as the train and optimize stages commit them
 * ({@link CommittedNights}); the pipeline's own models go through it in {@code
 * RegistryServingTest}.
 */
class ModelRegistryTest {
  private static final Configuration CONF = new Configuration();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final InferConfig SERVE_APPROVED =
      InferConfig.builder()
          .engine(EngineKind.ONNXRUNTIME)
          .model(new InferConfig.ServedModel("approved"))
          .build();
  @TempDir Path root;

  private ModelRegistry registry() {
    return new ModelRegistry(CONF, root.toUri().toString());
  }

  private OutputLayout night(String date, String runId, double servingAccuracy) throws Exception {
    return CommittedNights.write(root, date, runId, servingAccuracy);
  }

  @Test
  void registersEachNightsModelsOnceWithACopyThatOutlivesTheNight() throws Exception {
    OutputLayout night = night("2026-04-01", "monday", 0.895);
    RegisteredModel trained = registry().registerTrained(night);
    RegisteredModel serving = registry().registerServing(night, "monday");

    assertThat(registry().models())
        .extracting(RegisteredModel::version)
        .containsExactly(trained.version(), serving.version());
    assertThat(serving.parent()).isEqualTo(trained.version());
    assertThat(serving.kind()).isEqualTo(RegisteredModel.Kind.SERVING);
    assertThat(serving.file()).contains("/registry/models/" + serving.version() + "/int8.onnx");
    // Registering again changes nothing.
    assertThat(registry().registerServing(night, "monday").registeredAt())
        .isEqualTo(serving.registeredAt());
    assertThat(registry().models()).hasSize(2);

    // The night's outputs replaced by a rerun: the registered copy still resolves, unchanged.
    Files.write(Path.of(night.optimized().toUri()).resolve("int8.onnx"), new byte[] {1, 2, 3});
    RegisteredModel resolved = registry().resolve(serving.version(), "nightjar.infer.model");
    assertThat(ModelDigest.sha256(CONF, new org.apache.hadoop.fs.Path(resolved.file())))
        .isEqualTo(serving.sha256());
  }

  @Test
  void promotesRecordingWhoWhenAndWhyThenRollsBack() throws Exception {
    OutputLayout monday = night("2026-04-01", "monday", 0.895);
    OutputLayout tuesday = night("2026-04-02", "tuesday", 0.897);
    String first = registry().registerServing(monday, "monday").version();
    String second = registry().registerServing(tuesday, "tuesday").version();

    registry().promote(first, "approved", "ana", "passed review");
    AliasEvent promoted = registry().promote(second, "approved", "bo", "better on the new week");
    assertThat(promoted.from()).isEqualTo(first);
    assertThat(promoted.by()).isEqualTo("bo");
    assertThat(promoted.reason()).isEqualTo("better on the new week");
    assertThat(promoted.at()).isNotBlank();
    assertThat(registry().resolve("approved", "nightjar.infer.model").version()).isEqualTo(second);

    AliasEvent rolledBack = registry().rollback("approved", "ana", "drift on Sundays");
    assertThat(rolledBack.version()).isEqualTo(first);
    assertThat(rolledBack.from()).isEqualTo(second);
    assertThat(registry().alias("approved")).contains(first);
    assertThat(registry().history("approved"))
        .extracting(AliasEvent::action)
        .containsExactly("promote", "promote", "rollback");

    assertThatThrownBy(() -> registry().rollback("approved", "ana", "again"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no earlier version");
    assertThatThrownBy(() -> registry().promote(second, "approved", "ana", " "))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--reason");
  }

  @Test
  void refusesAModelBeyondItsToleranceAndAFileThatChanged() throws Exception {
    // 0.87 against a 0.90 baseline: 3 points lost, beyond the 1-point tolerance.
    String lossy =
        registry().registerServing(night("2026-04-01", "lossy", 0.87), "lossy").version();
    assertThatThrownBy(() -> registry().promote(lossy, "approved", "ana", "faster"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("refusing to promote " + lossy)
        .hasMessageContaining("beyond its 1.00-point tolerance");

    RegisteredModel good = registry().registerServing(night("2026-04-02", "good", 0.9), "good");
    // Replaced behind Hadoop's back: with its checksum file gone, only the digest can tell.
    Path copy = Path.of(new org.apache.hadoop.fs.Path(good.file()).toUri());
    Files.write(copy, new byte[] {9});
    Files.deleteIfExists(copy.resolveSibling("." + copy.getFileName() + ".crc"));
    assertThatThrownBy(() -> registry().promote(good.version(), "approved", "ana", "fine"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("its SHA-256 is")
        .hasMessageContaining(good.sha256());
    assertThat(registry().alias("approved")).isEmpty();
  }

  @Test
  void anUnknownNameFailsListingWhatTheRegistryHolds() throws Exception {
    String version =
        registry().registerServing(night("2026-04-01", "monday", 0.9), "monday").version();
    registry().promote(version, "candidate", "ana", "try it");
    assertThatThrownBy(() -> registry().resolve("approved", "nightjar.infer.model"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nightjar.infer.model = approved: no such alias or version")
        .hasMessageContaining("aliases: candidate")
        .hasMessageContaining(version);
    assertThatThrownBy(() -> registry().promote("nope", "approved", "ana", "why not"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void aRegisteredFileOutsideItsEntrysFolderIsNeitherServedNorPromoted() throws Exception {
    OutputLayout night = night("2026-04-01", "monday", 0.895);
    RegisteredModel serving = registry().registerServing(night, "monday");
    registry().promote(serving.version(), "approved", "ana", "passed review");
    assertThat(ServedModels.resolve(night, SERVE_APPROVED, CONF).file())
        .contains("/registry/models/" + serving.version() + "/int8.onnx");

    Path entry = entry(serving.version());
    for (String outside :
        new String[] {
          "/etc/passwd",
          serving.file().replace("/registry/", "/registry/../../elsewhere/"),
          root.resolveSibling("elsewhere").resolve("int8.onnx").toUri().toString()
        }) {
      edit(entry, doc -> doc.put("file", outside));
      assertThatThrownBy(() -> ServedModels.resolve(night, SERVE_APPROVED, CONF))
          .as(outside)
          .isInstanceOf(InputException.class)
          .hasMessageStartingWith(registry().entry(serving.version()) + " points at " + outside)
          .hasMessageContaining("outside its own folder");
      assertThatThrownBy(() -> registry().promote(serving.version(), "approved", "ana", "again"))
          .as(outside)
          .isInstanceOf(InputException.class)
          .hasMessageContaining("outside its own folder");
    }
    // Below the output root, but not the entry's own copy: another night's model.
    edit(entry, doc -> doc.put("file", night.root() + "/models/run_date=2026-04-01/model.zip"));
    assertThatThrownBy(() -> ServedModels.resolve(night, SERVE_APPROVED, CONF))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("outside its own folder");
  }

  @Test
  void aModelWhoseEntryWouldBeRefusedIsNeverRegistered() throws Exception {
    OutputLayout night = night("2026-04-01", "monday", 0.895);
    edit(
        Path.of(night.models().toUri()).resolve(ModelStore.METADATA_FILE),
        doc -> doc.put("testAccuracy", "NaN"));

    assertThatThrownBy(() -> registry().registerTrained(night))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("testAccuracy NaN is not in [0, 1]");
    // Nothing written that would make every later listing fail.
    assertThat(registry().models()).isEmpty();
    assertThat(root.resolve("registry/models")).doesNotExist();
  }

  @Test
  void aRegistryEntryOutOfItsDomainIsRefusedNamingItAndTheField() throws Exception {
    OutputLayout night = night("2026-04-01", "monday", 0.895);
    RegisteredModel serving = registry().registerServing(night, "monday");
    registry().promote(serving.version(), "approved", "ana", "passed review");
    Path entry = entry(serving.version());
    byte[] valid = Files.readAllBytes(entry);

    // Each damage, and the words its refusal gives.
    Map<Consumer<ObjectNode>, String> damages =
        Map.of(
            doc -> doc.put("testAccuracy", "NaN"),
            "testAccuracy NaN is not in [0, 1]",
            // With a baseline of minus infinity, any accuracy would be within tolerance.
            doc -> doc.put("baselineAccuracy", -1e308),
            "baselineAccuracy -1.0E308",
            doc -> doc.put("tolerancePoints", "Infinity"),
            "tolerancePoints Infinity",
            doc -> doc.put("version", "tuesday-1a2b3c4d-int8"),
            "is not its folder's name",
            doc -> doc.remove("engine"),
            "no engine",
            doc -> doc.putNull("file"),
            "no file",
            doc -> doc.put("sha256", "abc"),
            "sha256 is not a SHA-256",
            doc -> doc.putArray("imageShape").add(1).add(-28).add(28),
            "imageShape [1, -28, 28]",
            doc -> doc.put("numClasses", 1),
            "numClasses 1 is not in [2, 65536]",
            doc -> doc.remove("kind"),
            "no kind");
    for (Map.Entry<Consumer<ObjectNode>, String> damage : damages.entrySet()) {
      write(entry, valid);
      edit(entry, damage.getKey());
      assertThatThrownBy(() -> registry().resolve("approved", "nightjar.infer.model"))
          .as(damage.getValue())
          .isInstanceOf(InputException.class)
          .hasMessageStartingWith(registry().entry(serving.version()) + ": ")
          .hasMessageContaining(damage.getValue());
      assertThatThrownBy(() -> registry().promote(serving.version(), "candidate", "ana", "why"))
          .isInstanceOf(InputException.class)
          .hasMessageContaining(damage.getValue());
    }
  }

  @Test
  void anAliasEventOutOfItsDomainOrOutOfSequenceIsRefusedNamingIt() throws Exception {
    OutputLayout night = night("2026-04-01", "monday", 0.895);
    RegisteredModel serving = registry().registerServing(night, "monday");
    registry().promote(serving.version(), "approved", "ana", "passed review");
    Path first = root.resolve("registry/aliases/approved/00000001.json");
    byte[] valid = Files.readAllBytes(first);
    String name = new org.apache.hadoop.fs.Path(first.toUri()).toString();

    Map<Consumer<ObjectNode>, String> damages =
        Map.of(
            doc -> doc.put("sequence", 2), "sequence 2 is not its file's number 1",
            doc -> doc.put("action", "demote"), "action 'demote' is neither promote nor rollback",
            doc -> doc.put("alias", "candidate"), "alias 'candidate' is not its folder's name",
            doc -> doc.put("version", "../../etc"), "version '../../etc' is no plain name",
            doc -> doc.putNull("from"), "no from",
            doc -> doc.remove("reason"), "no reason");
    for (Map.Entry<Consumer<ObjectNode>, String> damage : damages.entrySet()) {
      write(first, valid);
      edit(first, damage.getKey());
      assertThatThrownBy(() -> registry().resolve("approved", "nightjar.infer.model"))
          .as(damage.getValue())
          .isInstanceOf(InputException.class)
          .hasMessageStartingWith(name + ": " + damage.getValue());
    }

    // A version the registry does not hold: the event that named it is given.
    write(first, valid);
    edit(first, doc -> doc.put("version", "tuesday"));
    assertThatThrownBy(() -> registry().resolve("approved", "nightjar.infer.model"))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(name + ": alias approved names version tuesday, which is not");

    // A history with a gap: its first move deleted.
    write(first, valid);
    registry().promote(serving.version(), "approved", "bo", "again");
    Files.delete(first);
    assertThatThrownBy(() -> registry().alias("approved"))
        .isInstanceOf(InputException.class)
        .hasMessage(name + ": missing: the history of alias approved goes on with 00000002.json");
  }

  private Path entry(String version) {
    return Path.of(registry().entry(version).toUri());
  }

  /** Edits a document behind Hadoop's back, its checksum file removed so that the edit is read. */
  private static void edit(Path file, Consumer<ObjectNode> change) throws IOException {
    ObjectNode doc = (ObjectNode) JSON.readTree(file.toFile());
    change.accept(doc);
    write(file, JSON.writeValueAsBytes(doc));
  }

  private static void write(Path file, byte[] content) throws IOException {
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    Files.write(file, content);
  }
}
