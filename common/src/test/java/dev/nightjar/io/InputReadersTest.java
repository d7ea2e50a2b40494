package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.data.DataManifest;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.testing.FlakyFileSystem;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read that fails is an I/O failure, worth another try; only content that does not parse is bad
 * input.
 */
class InputReadersTest {
  @TempDir Path dir;
  private final Configuration conf = FlakyFileSystem.register(new Configuration());

  @AfterEach
  void noFailuresLeft() {
    FlakyFileSystem.failReads(0);
  }

  @Test
  void aJsonDocumentWhoseReadTimesOutIsAnIoFailureNamingTheFile() throws Exception {
    Path manifest = Files.writeString(dir.resolve("_manifest.json"), "{\"id\": \"prepared-1\"}");
    FlakyFileSystem.failReads(1);
    assertThatThrownBy(
            () -> JsonFiles.read(conf, FlakyFileSystem.path(manifest), DataManifest.class))
        .isInstanceOf(InputReadException.class)
        .isNotInstanceOf(InputException.class)
        .hasMessageStartingWith("cannot read flaky:" + manifest)
        .hasRootCauseInstanceOf(SocketTimeoutException.class);
    assertThat(JsonFiles.read(conf, FlakyFileSystem.path(manifest), DataManifest.class).id())
        .isEqualTo("prepared-1");
  }

  @Test
  void aJsonDocumentThatDoesNotParseIsBadInput() throws Exception {
    Path garbage = Files.writeString(dir.resolve("_manifest.json"), "{\"id\": ");
    assertThatThrownBy(
            () -> JsonFiles.read(conf, FlakyFileSystem.path(garbage), DataManifest.class))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("not a valid DataManifest");
    assertThatThrownBy(
            () ->
                JsonFiles.read(
                    conf, FlakyFileSystem.path(dir.resolve("absent.json")), DataManifest.class))
        .isInstanceOf(InputException.class)
        .hasMessageEndingWith("absent.json: not found");
  }

  @Test
  void aModelWhoseReadTimesOutIsAnIoFailureAndAModelThatIsNoZipIsBadInput() throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    ModelStore.writeNetwork(
        conf,
        new org.apache.hadoop.fs.Path(models.toUri()),
        ModelZoo.create("tiny-cnn", new ModelInput(1, 28, 28, 10), 0.01, 1));
    org.apache.hadoop.fs.Path flakyModels = FlakyFileSystem.path(models);
    FlakyFileSystem.failReads(1);
    assertThatThrownBy(() -> ModelStore.loadNetwork(conf, flakyModels))
        .isInstanceOf(InputReadException.class)
        .hasMessageStartingWith("cannot read flaky:" + models.resolve(ModelStore.MODEL_FILE));
    assertThat(ModelStore.loadNetwork(conf, flakyModels).numParams()).isPositive();

    Files.writeString(models.resolve(ModelStore.MODEL_FILE), "not a zip");
    assertThatThrownBy(() -> ModelStore.loadNetwork(conf, flakyModels))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("not a DL4J model");
  }
}
