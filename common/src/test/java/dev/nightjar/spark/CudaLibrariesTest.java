package dev.nightjar.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU executor's library check over lists of library file names, as hosts with one CUDA stack
 * or another would have them (no GPU needed).
 */
class CudaLibrariesTest {
  /** A host with the NVIDIA driver, CUDA 11.6 and cuDNN 8.3, as the GPU image has them. */
  private static final List<String> CUDA_11_6_CUDNN_8_3 =
      List.of(
          "libcuda.so.1",
          "libcuda.so.535.104.05",
          "libcudart.so.11.0",
          "libcudart.so.11.6.55",
          "libcublas.so.11",
          "libcublas.so.11.9.2.110",
          "libcublasLt.so.11",
          "libcusolver.so.11",
          "libcusparse.so.11",
          "libcudnn.so.8",
          "libcudnn.so.8.3.2",
          "libcudnn_ops_infer.so.8",
          "libcudnn_ops_train.so.8",
          "libcudnn_cnn_infer.so.8",
          "libcudnn_cnn_train.so.8",
          "libstdc++.so.6");

  @Test
  void theStackTheBackendIsBuiltForPasses() {
    assertThat(CudaLibraries.check(CUDA_11_6_CUDNN_8_3)).isEmpty();
  }

  @Test
  void laterMinorVersionsOfTheSameMajorPass() {
    List<String> newer = new ArrayList<>(CUDA_11_6_CUDNN_8_3);
    newer.replaceAll(name -> name.equals("libcudart.so.11.6.55") ? "libcudart.so.11.8.89" : name);
    newer.replaceAll(name -> name.equals("libcudnn.so.8.3.2") ? "libcudnn.so.8.9.7" : name);

    assertThat(CudaLibraries.check(newer)).isEmpty();
  }

  @Test
  void aCuda12AndCudnn9HostNamesEveryMissingLibraryAndWhatItHasInstead() {
    List<String> onnxRuntimeStack =
        List.of(
            "libcuda.so.1",
            "libcudart.so.12",
            "libcudart.so.12.4.127",
            "libcublas.so.12",
            "libcublasLt.so.12",
            "libcudnn.so.9",
            "libcudnn.so.9.1.0");

    String line = CudaLibraries.check(onnxRuntimeStack).orElseThrow();

    assertThat(line)
        .doesNotContain("\n")
        .startsWith("ND4J's CUDA backend needs CUDA 11.6 and cuDNN 8.3")
        .contains("libcudart.so.11.0 missing (found libcudart.so.12, libcudart.so.12.4.127)")
        .contains("libcublas.so.11 missing (found libcublas.so.12)")
        .contains("libcudnn.so.8 missing (found libcudnn.so.9, libcudnn.so.9.1.0)")
        .contains("libcusolver.so.11 missing;")
        .doesNotContain("libcuda.so.1 missing");
  }

  @Test
  void olderMinorVersionsAreMismatched() {
    List<String> older = new ArrayList<>(CUDA_11_6_CUDNN_8_3);
    older.replaceAll(name -> name.equals("libcudart.so.11.6.55") ? "libcudart.so.11.4.148" : name);
    older.replaceAll(name -> name.equals("libcudnn.so.8.3.2") ? "libcudnn.so.8.2.4" : name);

    assertThat(CudaLibraries.problems(older))
        .containsExactly(
            "libcudart.so.11.4.148 is CUDA 11.4, older than 11.6",
            "libcudnn.so.8.2.4 is cuDNN 8.2, older than 8.3");
  }

  @Test
  void withoutTheDriverOnlyItIsNamed() {
    List<String> noDriver =
        CUDA_11_6_CUDNN_8_3.stream().filter(name -> !name.startsWith("libcuda.so")).toList();

    assertThat(CudaLibraries.problems(noDriver)).containsExactly("libcuda.so.1 missing");
  }

  @Test
  void theCpuBuildHasNoCudaBackendToCheck() {
    // The tests run the CPU build: a GPU executor of it loads no CUDA library, and is not stopped.
    assertThat(CudaLibraries.backendOnClassPath()).isFalse();
    CudaLibraries.requireOnGpuExecutor("1");
  }
}
