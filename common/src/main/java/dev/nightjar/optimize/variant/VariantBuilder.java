package dev.nightjar.optimize.variant;

import dev.nightjar.config.OptimizeConfig;
import java.util.List;

/** Makes one kind of variant from the trained model. */
public interface VariantBuilder {
  /** What it makes, for progress lines, e.g. "int8 quantization". */
  String description();

  List<Variant> build(VariantContext context);

  /** How many training epochs {@link #build} runs, for the stage's time estimate. */
  default int trainingEpochs(OptimizeConfig optimize) {
    return 0;
  }
}
