package dev.nightjar.model.engine;

import dev.nightjar.config.EngineKind;
import dev.nightjar.model.Dl4jZip;
import dev.nightjar.model.SparseModelFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Opens a model file's bytes on an engine: an ONNX file on ONNX Runtime; on DL4J, a DL4J zip or a
 * pruned network's sparse file (told apart by the {@code .sparse} extension).
 */
public final class Engines {
  public static final String SPARSE_EXTENSION = ".sparse";

  private Engines() {}

  /**
   * @param imageShape what a DL4J network reads; an ONNX model says it itself
   */
  public static EnginePool open(
      EngineKind kind, byte[] model, String fileName, int[] imageShape, int intraOpThreads) {
    return switch (kind) {
      case DL4J -> EnginePool.copying(new Dl4jEngine(dl4j(model, fileName), imageShape));
      case ONNXRUNTIME -> EnginePool.leasing(new OnnxRuntimeEngine(model, intraOpThreads));
    };
  }

  /** An ONNX model on ONNX Runtime's CUDA execution provider, on one GPU of this machine. */
  public static EnginePool openOnGpu(byte[] model, int device) {
    return EnginePool.leasing(OnnxRuntimeEngine.onGpu(model, device));
  }

  private static MultiLayerNetwork dl4j(byte[] model, String fileName) {
    try {
      return fileName.endsWith(SPARSE_EXTENSION)
          ? SparseModelFile.read(new ByteArrayInputStream(model))
          : Dl4jZip.restore(model, fileName, false);
    } catch (IOException e) {
      throw new UncheckedIOException("not a DL4J model: " + e.getMessage(), e);
    }
  }
}
