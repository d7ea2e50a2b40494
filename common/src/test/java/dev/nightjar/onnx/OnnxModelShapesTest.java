package dev.nightjar.onnx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.EngineKind;
import dev.nightjar.io.InputException;
import dev.nightjar.model.ModelRef;
import dev.nightjar.model.engine.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ONNX file that ONNX Runtime loads but whose graph is no image classifier is refused as bad
 * input naming the file, not with whatever reading its shapes would throw.
 */
class OnnxModelShapesTest {
  @Test
  void aGraphWhoseOutputIsNoMatrixOfClassProbabilitiesIsRefused(@TempDir Path dir)
      throws Exception {
    OnnxGraph graph = new OnnxGraph("rank-one-output");
    graph.input("input", 1, 28, 28);
    graph.node("ReduceMean", "output", "input").ints("axes", 1, 2, 3).i("keepdims", 0);
    graph.output("output");
    Path file = Files.write(dir.resolve("rank1.onnx"), graph.toModelBytes());
    ModelRef ref =
        new ModelRef(
            file.toUri().toString(),
            "",
            "rank1",
            EngineKind.ONNXRUNTIME,
            new int[] {1, 28, 28},
            10,
            1,
            false);
    assertThatThrownBy(() -> ModelLoader.load(ref, new Configuration()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("rank1.onnx")
        .hasMessageContaining("expected class probabilities [N, classes], got rank 1");
  }
}
