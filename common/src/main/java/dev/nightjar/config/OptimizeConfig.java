package dev.nightjar.config;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What the optimize stage builds from the trained model, how it measures the variants and how
 * much accuracy the serving model may give up.
 *
 * @param variants the kinds of variant to build besides the fp32 baseline
 * @param tolerancePoints the largest drop in test accuracy, in percentage points, a serving model may have
 * @param pruneSparsities the shares of weights that unstructured pruning zeroes, one variant each
 * @param filterFractions the shares of filters and neurons structured pruning removes, one variant each
 * @param filterMultiple the block of filters a structurally pruned convolution keeps a multiple of (1: any number)
 * @param architectures the zoo networks whose cost (parameters, MACs, latency, throughput) is compared
 * @param throughputSeconds how long each of the three timed rounds of the throughput measurement runs
 */
public record OptimizeConfig(
    List<VariantKind> variants,
    double tolerancePoints,
    int calibrationImages,
    List<Double> pruneSparsities,
    List<Double> filterFractions,
    int filterMultiple,
    int fineTuneEpochs,
    DistillConfig distill,
    List<String> architectures,
    int latencyRuns,
    int throughputBatch,
    double throughputSeconds)
    implements Serializable {

  /** The kinds of variant, as written in config. */
  public enum VariantKind {
    FP16,
    BF16,
    INT8,
    PRUNED,
    FILTER_PRUNED,
    DISTILLED;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static VariantKind parse(String text) {
      for (VariantKind kind : values()) {
        if (kind.label().equalsIgnoreCase(text.trim())) {
          return kind;
        }
      }
      throw ConfigException.badValue(ConfigKeys.OPTIMIZE_VARIANTS, text,
          "expected fp16, bf16, int8, pruned, filter-pruned or distilled");
    }

    static List<VariantKind> parseAll(List<String> texts) {
      return texts.stream().map(VariantKind::parse).distinct().toList();
    }
  }

  /** Knowledge distillation: a student network trained on the teacher's softened outputs. */
  public record DistillConfig(String student, int epochs, double temperature, double alpha, double learningRate)
      implements Serializable {
    public DistillConfig {
      Checks.nonEmpty(student, ConfigKeys.OPTIMIZE_DISTILL_STUDENT);
      Checks.atLeast(1, epochs, ConfigKeys.OPTIMIZE_DISTILL_EPOCHS);
      Checks.positive(temperature, ConfigKeys.OPTIMIZE_DISTILL_TEMPERATURE);
      Checks.inRange(0, 1, alpha, ConfigKeys.OPTIMIZE_DISTILL_ALPHA);
      Checks.positive(learningRate, ConfigKeys.OPTIMIZE_DISTILL_LEARNING_RATE);
    }
  }

  public OptimizeConfig {
    variants = List.copyOf(variants);
    Checks.inRange(0, 100, tolerancePoints, ConfigKeys.OPTIMIZE_TOLERANCE_POINTS);
    Checks.atLeast(1, calibrationImages, ConfigKeys.OPTIMIZE_CALIBRATION_IMAGES);
    for (double sparsity : pruneSparsities) {
      Checks.inRange(0, 0.99, sparsity, ConfigKeys.OPTIMIZE_PRUNE_SPARSITIES);
    }
    pruneSparsities = List.copyOf(pruneSparsities);
    for (double fraction : filterFractions) {
      Checks.inRange(0, 0.9, fraction, ConfigKeys.OPTIMIZE_FILTER_FRACTIONS);
    }
    filterFractions = List.copyOf(filterFractions);
    Checks.atLeast(1, filterMultiple, ConfigKeys.OPTIMIZE_FILTER_MULTIPLE);
    Checks.atLeast(0, fineTuneEpochs, ConfigKeys.OPTIMIZE_FINE_TUNE_EPOCHS);
    architectures = List.copyOf(architectures);
    Checks.atLeast(1, latencyRuns, ConfigKeys.OPTIMIZE_LATENCY_RUNS);
    Checks.atLeast(1, throughputBatch, ConfigKeys.OPTIMIZE_THROUGHPUT_BATCH);
    Checks.positive(throughputSeconds, ConfigKeys.OPTIMIZE_THROUGHPUT_SECONDS);
  }

  public boolean builds(VariantKind kind) {
    return variants.contains(kind);
  }
}
