package dev.nightjar.optimize.variant;

import java.util.List;

/** Makes one kind of variant from the trained model. */
public interface VariantBuilder {
  /** What it makes, for progress lines, e.g. "int8 quantization". */
  String description();

  List<Variant> build(VariantContext context);
}
