package dev.nightjar.config;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What the optimize stage builds from the trained model, how it measures the variants and how much
 * accuracy the serving model may give up.
 *
 * @param variants the kinds of variant to build besides the fp32 baseline
 * @param tolerancePoints the largest drop in test accuracy, in percentage points, a serving model
 *     may have
 * @param pruneSparsities the shares of weights that unstructured pruning zeroes, one variant each
 * @param filterFractions the shares of filters and neurons structured pruning removes, one variant
 *     each
 * @param filterMultiple the block of filters a structurally pruned convolution keeps a multiple of
 *     (1: any number)
 * @param fineTuneLearningRate the first fine-tuning epoch's learning rate, which the training
 *     schedule then changes over the fine-tuning epochs
 * @param architectures the zoo networks whose cost (parameters, MACs, latency, throughput) is
 *     compared
 * @param throughputSeconds how long each of the three timed rounds of the throughput measurement
 *     runs
 */
public record OptimizeConfig(
    List<VariantKind> variants,
    double tolerancePoints,
    int calibrationImages,
    List<Double> pruneSparsities,
    List<Double> filterFractions,
    int filterMultiple,
    int fineTuneEpochs,
    double fineTuneLearningRate,
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
      throw ConfigException.badValue(
          ConfigKeys.OPTIMIZE_VARIANTS,
          text,
          "expected fp16, bf16, int8, pruned, filter-pruned or distilled");
    }

    static List<VariantKind> parseAll(List<String> texts) {
      return texts.stream().map(VariantKind::parse).distinct().toList();
    }
  }

  /** Knowledge distillation: a student network trained on the teacher's softened outputs. */
  public record DistillConfig(
      String student, int epochs, double temperature, double alpha, double learningRate)
      implements Serializable {
    public DistillConfig {
      Checks.nonEmpty(student, ConfigKeys.OPTIMIZE_DISTILL_STUDENT);
      Checks.atLeast(1, epochs, ConfigKeys.OPTIMIZE_DISTILL_EPOCHS);
      Checks.positive(temperature, ConfigKeys.OPTIMIZE_DISTILL_TEMPERATURE);
      Checks.inRange(0, 1, alpha, ConfigKeys.OPTIMIZE_DISTILL_ALPHA);
      Checks.positive(learningRate, ConfigKeys.OPTIMIZE_DISTILL_LEARNING_RATE);
    }

    /** A builder starting from {@code reference.conf}'s defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** One named setter per setting; {@link #build()} checks them. */
    public static final class Builder {
      private String student = "tiny-cnn";
      private int epochs = 5;
      private double temperature = 4.0;
      private double alpha = 0.7;
      private double learningRate = 0.002;

      private Builder() {}

      public Builder student(String value) {
        student = value;
        return this;
      }

      public Builder epochs(int value) {
        epochs = value;
        return this;
      }

      public Builder temperature(double value) {
        temperature = value;
        return this;
      }

      public Builder alpha(double value) {
        alpha = value;
        return this;
      }

      public Builder learningRate(double value) {
        learningRate = value;
        return this;
      }

      public DistillConfig build() {
        return new DistillConfig(student, epochs, temperature, alpha, learningRate);
      }
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
    Checks.positive(fineTuneLearningRate, ConfigKeys.OPTIMIZE_FINE_TUNE_LEARNING_RATE);
    architectures = List.copyOf(architectures);
    Checks.atLeast(1, latencyRuns, ConfigKeys.OPTIMIZE_LATENCY_RUNS);
    Checks.atLeast(1, throughputBatch, ConfigKeys.OPTIMIZE_THROUGHPUT_BATCH);
    Checks.positive(throughputSeconds, ConfigKeys.OPTIMIZE_THROUGHPUT_SECONDS);
  }

  public boolean builds(VariantKind kind) {
    return variants.contains(kind);
  }

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private List<VariantKind> variants =
        List.of(
            VariantKind.FP16,
            VariantKind.BF16,
            VariantKind.INT8,
            VariantKind.PRUNED,
            VariantKind.FILTER_PRUNED,
            VariantKind.DISTILLED);
    private double tolerancePoints = 1.0;
    private int calibrationImages = 1000;
    private List<Double> pruneSparsities = List.of(0.5, 0.75, 0.9);
    private List<Double> filterFractions = List.of(0.3, 0.5);
    private int filterMultiple = 16;
    private int fineTuneEpochs = 2;
    private double fineTuneLearningRate = 0.001;
    private DistillConfig distill = DistillConfig.builder().build();
    private List<String> architectures =
        List.of("fashion-cnn", "lenet", "separable-cnn", "tiny-cnn");
    private int latencyRuns = 200;
    private int throughputBatch = 256;
    private double throughputSeconds = 1.0;

    private Builder() {}

    public Builder variants(List<VariantKind> value) {
      variants = value;
      return this;
    }

    public Builder tolerancePoints(double value) {
      tolerancePoints = value;
      return this;
    }

    public Builder calibrationImages(int value) {
      calibrationImages = value;
      return this;
    }

    public Builder pruneSparsities(List<Double> value) {
      pruneSparsities = value;
      return this;
    }

    public Builder filterFractions(List<Double> value) {
      filterFractions = value;
      return this;
    }

    public Builder filterMultiple(int value) {
      filterMultiple = value;
      return this;
    }

    public Builder fineTuneEpochs(int value) {
      fineTuneEpochs = value;
      return this;
    }

    public Builder fineTuneLearningRate(double value) {
      fineTuneLearningRate = value;
      return this;
    }

    public Builder distill(DistillConfig value) {
      distill = value;
      return this;
    }

    public Builder architectures(List<String> value) {
      architectures = value;
      return this;
    }

    public Builder latencyRuns(int value) {
      latencyRuns = value;
      return this;
    }

    public Builder throughputBatch(int value) {
      throughputBatch = value;
      return this;
    }

    public Builder throughputSeconds(double value) {
      throughputSeconds = value;
      return this;
    }

    public OptimizeConfig build() {
      return new OptimizeConfig(
          variants,
          tolerancePoints,
          calibrationImages,
          pruneSparsities,
          filterFractions,
          filterMultiple,
          fineTuneEpochs,
          fineTuneLearningRate,
          distill,
          architectures,
          latencyRuns,
          throughputBatch,
          throughputSeconds);
    }
  }
}
