package dev.nightjar.testing;

import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.model.ServingDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Run dates laid out as the train and optimize stages commit them, for the model registry's tests.
 * The model files' bytes are opaque to the registry, so they are small stand-ins.
 */
public final class CommittedNights {
  private static final Configuration CONF = new Configuration();

  private CommittedNights() {}

  /**
   * Commits a night's trained model (0.90 test accuracy) and its serving choice, an int8 variant of
   * {@code servingAccuracy} within a 1-point tolerance; returns the night's layout.
   */
  public static OutputLayout write(Path root, String date, String runId, double servingAccuracy)
      throws IOException {
    OutputLayout layout = new OutputLayout(root.toUri().toString(), LocalDate.parse(date));
    Path models = Files.createDirectories(Path.of(layout.models().toUri()));
    byte[] zip = ("weights of " + runId).getBytes(StandardCharsets.UTF_8);
    Files.write(models.resolve(ModelStore.MODEL_FILE), zip);
    String zipSha = ModelDigest.sha256(zip);
    ModelStore.writeMetadata(
        CONF,
        layout.models(),
        new ModelMetadata(
            runId + "-" + zipSha.substring(0, 8),
            "tiny-cnn",
            zipSha,
            runId,
            "2026-04-01T00:00:00Z",
            1000,
            0.90,
            0.89,
            1,
            1,
            "manifest",
            new int[] {1, 28, 28},
            List.of("a", "b"),
            Map.of()));
    Path optimized = Files.createDirectories(Path.of(layout.optimized().toUri()));
    byte[] onnx = ("int8 of " + runId).getBytes(StandardCharsets.UTF_8);
    Path onnxFile = Files.write(optimized.resolve("int8.onnx"), onnx);
    JsonFiles.write(
        CONF,
        new org.apache.hadoop.fs.Path(layout.optimized(), ServingDecision.FILE),
        new ServingDecision(
            "int8",
            "onnxruntime",
            onnxFile.toUri().toString(),
            ModelDigest.sha256(onnx),
            runId + "-" + zipSha.substring(0, 8) + "-int8",
            servingAccuracy,
            0.90,
            1.0,
            900,
            300,
            new int[] {1, 28, 28},
            2,
            "fastest within tolerance",
            List.of(),
            List.of("a", "b"),
            "input",
            "probabilities",
            null));
    return layout;
  }
}
