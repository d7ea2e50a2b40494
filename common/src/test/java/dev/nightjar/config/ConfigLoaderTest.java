package dev.nightjar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.data.Split;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsBindToTypedRecords() {
    NightjarConfig config = ConfigLoader.fromOverrides();
    assertThat(config.train().model()).isEqualTo("fashion-cnn");
    assertThat(config.train().epochs()).isEqualTo(6);
    // Epoch 4 of 6 on the cosine schedule: half a cosine of 3/6 of the way, a factor of 0.5.
    assertThat(config.train().learningRate(4))
        .isCloseTo(3e-3 * 0.5, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(config.train().batchSizePerWorker()).isEqualTo(100);
    assertThat(config.train().averagingFrequency()).isEqualTo(20);
    assertThat(config.train().learningRate()).isEqualTo(3e-3);
    assertThat(config.infer().split()).isEqualTo(Split.TEST);
    assertThat(config.infer().scoresNewData()).isFalse();
    assertThat(config.infer().engine()).isEqualTo(dev.nightjar.config.EngineKind.ONNXRUNTIME);
    assertThat(config.optimize().tolerancePoints()).isEqualTo(1.0);
    assertThat(config.data().numClasses()).isEqualTo(10);
    assertThat(config.runDate()).isEqualTo(LocalDate.now());
    assertThat(config.runId()).startsWith(LocalDate.now().toString());
  }

  @Test
  void overridesAcceptKeysWithAndWithoutPrefix() {
    NightjarConfig config =
        ConfigLoader.fromOverrides(
            "train.epochs=5",
            "nightjar.prepare.shard-size=64",
            "run-date=2026-01-02",
            "spark.executor.memory=3g");
    assertThat(config.train().epochs()).isEqualTo(5);
    assertThat(config.prepare().shardSize()).isEqualTo(64);
    assertThat(config.runDate()).isEqualTo(LocalDate.of(2026, 1, 2));
    assertThat(config.sparkSettings()).containsEntry("spark.executor.memory", "3g");
  }

  @Test
  void layersApplyInOrder() throws IOException {
    Path confDir = Files.createDirectory(dir.resolve("conf"));
    Files.writeString(
        confDir.resolve("nightjar.conf"),
        "nightjar.train.epochs = 7\nnightjar.train.workers = 2\n");
    Path env =
        Files.writeString(
            dir.resolve("env.conf"),
            "nightjar.train.epochs = 9\nnightjar.spark { \"spark.executor.cores\" = 1 }\n");
    NightjarConfig config =
        ConfigLoader.of(confDir.toFile(), env.toFile(), List.of("train.workers=4")).load();
    assertThat(config.train().epochs()).isEqualTo(9);
    assertThat(config.train().workers()).isEqualTo(4);
    assertThat(config.sparkSettings()).containsEntry("spark.executor.cores", "1");
  }

  @Test
  void unknownKeyIsNamedWithASuggestion() {
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("train.epoch=2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key nightjar.train.epoch")
        .hasMessageContaining("did you mean nightjar.train.epochs?");
  }

  @Test
  void wrongTypeNamesKeyValueAndOrigin() {
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("train.epochs=many"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nightjar.train.epochs")
        .hasMessageContaining("many")
        .hasMessageContaining("--conf")
        .hasMessageContaining("expected a whole number");
  }

  @Test
  void outOfRangeValueIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("prepare.validation-fraction=0.9"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("nightjar.prepare.validation-fraction = 0.9: must be between 0.0 and 0.5");
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("train.batch-size-per-worker=0"))
        .hasMessage("nightjar.train.batch-size-per-worker = 0: must be at least 1");
  }

  @Test
  void augmentedCopiesAreCheckedAndNeedAugmentation() {
    assertThat(
            ConfigLoader.fromOverrides("prepare.augment.enabled=true", "prepare.augment.copies=20")
                .prepare()
                .augment()
                .copies())
        .isEqualTo(20);
    assertThatThrownBy(
            () ->
                ConfigLoader.fromOverrides(
                    "prepare.augment.enabled=true", "prepare.augment.copies=0"))
        .hasMessage("nightjar.prepare.augment.copies = 0: must be at least 1");
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("prepare.augment.copies=20"))
        .hasMessage(
            "nightjar.prepare.augment.copies = 20: augmented copies need nightjar.prepare.augment.enabled = true");
  }

  @Test
  void badDateAndSplitAreNamed() {
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("run-date=2026-13-01"))
        .hasMessageContaining("nightjar.run-date = 2026-13-01: expected a date as YYYY-MM-DD");
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("infer.split=dev"))
        .hasMessageContaining("nightjar.infer.split = dev");
  }

  @Test
  void missingFilesAndMalformedOverridesAreNamed() {
    assertThatThrownBy(
            () -> ConfigLoader.of(null, new File(dir.toFile(), "nope.conf"), List.of()).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.conf");
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("epochs"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected key=value");
  }

  @Test
  void hashIgnoresRunDateButNotSettings() {
    String base = ConfigLoader.fromOverrides("run-date=2026-01-01").hash();
    assertThat(ConfigLoader.fromOverrides("run-date=2026-01-02").hash()).isEqualTo(base);
    assertThat(ConfigLoader.fromOverrides("run-date=2026-01-01", "train.epochs=4").hash())
        .isNotEqualTo(base);
  }

  @Test
  void aRunIdCannotNameAPathOutsideTheOutputRoot() {
    assertThatThrownBy(() -> ConfigLoader.fromOverrides("run-id=../../etc"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nightjar.run-id");
    assertThat(ConfigLoader.fromOverrides("run-id=night-2026-11-28_1").runId())
        .isEqualTo("night-2026-11-28_1");
  }
}
