package dev.nightjar.optimize.variant;

import dev.nightjar.config.EngineKind;
import dev.nightjar.onnx.OnnxExporter;
import dev.nightjar.onnx.OnnxExporter.WeightPrecision;
import dev.nightjar.optimize.measure.ModelCost;
import java.util.List;
import java.util.Locale;

/**
 * The trained model with lower-precision weights: fp16 or bf16 storage (half the file; ONNX
 * Runtime's x86 kernels still compute in fp32, so no faster), or int8 quantized per channel with
 * calibrated activations as a QDQ model, which ONNX Runtime runs on integer kernels.
 */
public final class QuantizedVariants implements VariantBuilder {
  private final String precision;

  private QuantizedVariants(String precision) {
    this.precision = precision;
  }

  public static QuantizedVariants halfPrecision(WeightPrecision precision) {
    return new QuantizedVariants(precision.name().toLowerCase(Locale.ROOT));
  }

  public static QuantizedVariants int8() {
    return new QuantizedVariants("int8");
  }

  @Override
  public String description() {
    return precision + " quantization";
  }

  @Override
  public List<Variant> build(VariantContext context) {
    if (precision.equals("int8")) {
      return List.of(
          VariantFiles.int8(
              "int8",
              "quantization",
              context.trained(),
              context,
              "per-channel int8 weights, uint8 activations calibrated on "
                  + context.calibration().count()
                  + " training images; convolutions of fewer than 128 products an output in"
                  + " float"));
    }
    WeightPrecision weights = WeightPrecision.valueOf(precision.toUpperCase(Locale.ROOT));
    return List.of(
        new Variant(
            precision,
            "quantization",
            precision,
            EngineKind.ONNXRUNTIME,
            precision + ".onnx",
            OnnxExporter.toOnnx(context.trained(), context.input().networkShape(), weights),
            ModelCost.of(context.trained(), context.inputType()),
            true,
            precision
                + " storage only: ONNX Runtime's x86 CPU kernels compute in fp32, so it runs like fp32"));
  }
}
