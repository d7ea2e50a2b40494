package dev.nightjar.infer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.InferConfig;
import dev.nightjar.io.OutputLayout;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedModelsTest {
  @TempDir Path root;

  @Test
  void onnxRuntimeOnTheGpuIsRefusedWithTheReason() {
    InferConfig infer = InferConfig.builder().onnxRuntimeCuda(true).build();
    OutputLayout layout = new OutputLayout(root.toUri().toString(), LocalDate.of(2026, 1, 1));

    assertThatThrownBy(() -> ServedModels.resolve(layout, infer, new Configuration()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "nightjar.infer.onnxruntime-cuda = true: ONNX Runtime's CUDA build needs CUDA 12 and"
                + " cuDNN 9, and ND4J's CUDA backend CUDA 11.6 and cuDNN 8, which cannot share a"
                + " GPU executor; Nightjar's GPU build trains on the GPU and serves ONNX models on"
                + " the CPU: set it to false");
  }
}
