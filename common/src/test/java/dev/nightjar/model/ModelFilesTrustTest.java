package dev.nightjar.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.EngineKind;
import dev.nightjar.io.InputException;
import dev.nightjar.model.engine.ModelLoader;
import dev.nightjar.model.zoo.ModelZoo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files are read as untrusted input: no code runs from them, and none is loaded unchecked.
 */
class ModelFilesTrustTest {
  private static byte[] model;

  /** Runs code when deserialized, as a gadget chain would; the test watches for it. */
  static final class Payload implements Serializable {
    private static final long serialVersionUID = 1L;
    static volatile boolean ran;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      ran = true;
    }
  }

  @BeforeAll
  static void saveATinyNetwork() throws IOException {
    MultiLayerNetwork network = ModelZoo.create("tiny-cnn", new ModelInput(1, 28, 28, 10), 1e-3, 7);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelSerializer.writeModel(network, out, true);
    model = out.toByteArray();
  }

  @Test
  void aNightjarModelLoadsAndAZipWithAPreprocessorEntryIsRefusedUnread() throws Exception {
    assertThat(Dl4jZip.restore(model, "model.zip", true).numParams()).isPositive();

    byte[] doctored = withEntry(model, "preprocessor.bin", serialized(new Payload()));
    // DL4J on its own deserializes the entry: the gap this guards.
    Payload.ran = false;
    try {
      ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(doctored), false);
    } catch (Exception expected) {
      // The payload is no preprocessor; what matters is that it ran first.
    }
    assertThat(Payload.ran).as("DL4J deserializes preprocessor.bin").isTrue();

    Payload.ran = false;
    assertThatThrownBy(() -> Dl4jZip.restore(doctored, "doctored.zip", false))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("doctored.zip")
        .hasMessageContaining("'preprocessor.bin'");
    assertThat(Payload.ran).isFalse();
  }

  @Test
  void notAZipAndAnEmptyZipAreRefusedAsBadInput() throws IOException {
    assertThatThrownBy(() -> Dl4jZip.restore("not a zip".getBytes(), "junk.zip", false))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("junk.zip: ");
    ByteArrayOutputStream empty = new ByteArrayOutputStream();
    new ZipOutputStream(empty).close();
    assertThatThrownBy(() -> Dl4jZip.restore(empty.toByteArray(), "empty.zip", false))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("no zip entries");
  }

  @Test
  void aModelFileThatChangedAfterItWasRecordedIsNotLoaded(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.zip");
    Files.write(file, model);
    String recorded = ModelDigest.sha256(model);
    ModelRef good =
        new ModelRef(
            file.toUri().toString(),
            recorded,
            "v1",
            EngineKind.DL4J,
            new int[] {1, 28, 28},
            10,
            1,
            false);
    ModelLoader.load(good, new Configuration()).close();

    byte[] changed = model.clone();
    changed[changed.length / 2] ^= 1;
    Files.write(file, changed);
    assertThatThrownBy(() -> ModelLoader.load(good, new Configuration()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(file.getFileName().toString())
        .hasMessageContaining("not the recorded " + recorded);
  }

  @Test
  void aServedModelFileMustLieBelowTheOutputRootOrAnAllowedFolder(@TempDir Path dir) {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir.resolve("out").toUri());
    String inside =
        dir.resolve("out/optimized/run_date=2026-01-01/variants/fp32.onnx").toUri().toString();
    assertThat(ModelPaths.requireBelow(inside, root, List.of(), conf, "serving.json").toString())
        .endsWith("variants/fp32.onnx");

    for (String outside :
        List.of(
            dir.resolve("elsewhere/fp32.onnx").toUri().toString(),
            dir.resolve("out").toUri() + "/../elsewhere/fp32.onnx",
            "/etc/passwd",
            dir.resolve("out-sibling/x").toString(),
            // A scheme no file system serves here.
            "xile://" + dir.resolve("out/optimized/fp32.onnx"),
            // A host where the local file system has none.
            "file://.tmp/out/optimized/fp32.onnx")) {
      assertThatThrownBy(
              () -> ModelPaths.requireBelow(outside, root, List.of(), conf, "serving.json"))
          .as(outside)
          .isInstanceOf(InputException.class)
          .hasMessageContaining("outside the output root")
          .hasMessageContaining("nightjar.infer.model-roots");
    }
    // Not a path at all (what DocumentFuzzTest once made of a file: URI).
    assertThatThrownBy(
            () ->
                ModelPaths.requireBelow(
                    "`ile:///x/fp32.onnx", root, List.of(), conf, "serving.json"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("serving.json points at '`ile:///x/fp32.onnx', which is not a path");
    String kept = dir.resolve("registry/models/fp32.onnx").toUri().toString();
    assertThat(
            ModelPaths.requireBelow(
                kept,
                root,
                List.of(dir.resolve("registry").toUri().toString()),
                conf,
                "serving.json"))
        .isNotNull();
  }

  private static byte[] serialized(Object object) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    return bytes.toByteArray();
  }

  /** {@code zip} with one more entry. */
  private static byte[] withEntry(byte[] zip, String name, byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
        ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry(name));
      out.write(content);
      out.closeEntry();
    }
    return bytes.toByteArray();
  }
}
