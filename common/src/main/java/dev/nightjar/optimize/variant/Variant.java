package dev.nightjar.optimize.variant;

import dev.nightjar.config.EngineKind;
import dev.nightjar.optimize.measure.ModelCost;

/**
 * One model the optimize stage built, as it is stored and served.
 *
 * @param name unique in a run, e.g. {@code int8} or {@code pruned-90}
 * @param method how it was made: baseline, quantization, pruning, filter-pruning, distillation,
 *     architecture
 * @param precision of its stored weights: fp32, fp16, bf16 or int8
 * @param fileName its file under {@code optimized/run_date=D/variants/}
 * @param content the file's bytes
 * @param trained false for the architecture comparison's untrained networks, which only have a cost
 * @param note what a reader should know, e.g. why it is not faster
 */
public record Variant(
    String name,
    String method,
    String precision,
    EngineKind engine,
    String fileName,
    byte[] content,
    ModelCost cost,
    boolean trained,
    String note) {
  /**
   * The name of the trained model exported unchanged, which every other variant is measured
   * against.
   */
  public static final String BASELINE = "fp32";
}
