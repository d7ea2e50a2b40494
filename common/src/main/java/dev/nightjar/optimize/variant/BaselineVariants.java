package dev.nightjar.optimize.variant;

import java.util.List;

/** The trained model as it is, fp32, on both engines: what every other variant is compared with. */
public final class BaselineVariants implements VariantBuilder {
  @Override
  public String description() {
    return "fp32 baseline";
  }

  @Override
  public List<Variant> build(VariantContext context) {
    return VariantFiles.onBothEngines(Variant.BASELINE, "baseline", context.trained(), context, "");
  }
}
