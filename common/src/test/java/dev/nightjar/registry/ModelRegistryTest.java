package dev.nightjar.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigException;
import dev.nightjar.io.InputException;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.testing.CommittedNights;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
