package dev.nightjar.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.EngineKind;
import dev.nightjar.io.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files by name and hash, without Spark: the engine a file names, and a copy that checks its
 * hash.
 */
class ModelFilesTest {
  @TempDir Path dir;
  private final Configuration conf = new Configuration();

  @Test
  void aFileServesOnTheEngineItsExtensionNamesAndIsVersionedByItsHash() throws Exception {
    Path onnx = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    ModelFile model = ModelFiles.fromFile(conf, onnx.toString(), new int[] {1, 28, 28}, 10);
    assertThat(model.engine()).isEqualTo(EngineKind.ONNXRUNTIME);
    // SHA-256 of the bytes 1, 2, 3.
    assertThat(model.sha256())
        .isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
    assertThat(model.version()).isEqualTo("model.onnx@039058c6f2c0");
    assertThat(model.file()).startsWith("file:/");
    Path zip = Files.write(dir.resolve("model.zip"), new byte[] {4});
    assertThat(ModelFiles.fromFile(conf, zip.toString(), new int[] {1, 28, 28}, 10).engine())
        .isEqualTo(EngineKind.DL4J);

    Path other = Files.write(dir.resolve("model.pt"), new byte[] {5});
    assertThatThrownBy(() -> ModelFiles.fromFile(conf, other.toString(), new int[] {1, 28, 28}, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.pt: expected an ONNX model (.onnx)");
    assertThatThrownBy(() -> ModelFiles.fromFile(conf, onnx.toString(), new int[] {28, 28}, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imageShape");
    assertThatThrownBy(
            () ->
                ModelFiles.fromFile(
                    conf, dir.resolve("nowhere.onnx").toString(), new int[] {1, 28, 28}, 10))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("nowhere.onnx: model not found");
  }

  @Test
  void aCopyKeepsTheNameAndRefusesAFileThatChangedSinceItWasHashed() throws Exception {
    Path onnx = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    ModelFile model = ModelFiles.fromFile(conf, onnx.toString(), new int[] {1, 28, 28}, 10);
    ModelFile copy = ModelFiles.copyInto(conf, model, hadoop(dir.resolve("saved")));
    assertThat(copy.file()).isEqualTo("model.onnx");
    assertThat(dir.resolve("saved/model.onnx")).hasBinaryContent(new byte[] {1, 2, 3});

    Files.write(onnx, new byte[] {9, 9});
    assertThatThrownBy(() -> ModelFiles.copyInto(conf, model, hadoop(dir.resolve("again"))))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("changed since the model was made");
    assertThat(dir.resolve("again/model.onnx")).doesNotExist();
  }

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }
}
