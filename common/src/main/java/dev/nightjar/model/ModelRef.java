package dev.nightjar.model;

import dev.nightjar.config.EngineKind;
import java.io.Serializable;

/**
 * The address of a model and how to serve it, which is what closures ship to executors instead of
 * its weights.
 *
 * @param file the model file (a DL4J zip or an ONNX file), any Hadoop URI
 * @param sha256 of that file; with the engine, the cache key, so a replaced model is never served
 *     stale
 * @param version identifies the model in the predictions
 * @param intraOpThreads threads one batch may use (ONNX Runtime only)
 * @param gpu run on the GPU Spark assigned this executor (ONNX Runtime only)
 */
public record ModelRef(
    String file,
    String sha256,
    String version,
    EngineKind engine,
    int[] imageShape,
    int numClasses,
    int intraOpThreads,
    boolean gpu)
    implements Serializable {

  public String cacheKey() {
    return sha256 + "/" + engine.label() + "/" + intraOpThreads + (gpu ? "/gpu" : "");
  }
}
