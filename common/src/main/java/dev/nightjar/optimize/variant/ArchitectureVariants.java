package dev.nightjar.optimize.variant;

import dev.nightjar.config.EngineKind;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.onnx.OnnxExporter;
import dev.nightjar.optimize.measure.ModelCost;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The zoo's architectures side by side on what does not need training: parameters, MACs, latency
 * and throughput on the serving engine. Their weights are untrained, so they have no accuracy and
 * are never served; the distilled student is the trained one of them.
 */
public final class ArchitectureVariants implements VariantBuilder {
  @Override
  public String description() {
    return "architecture comparison";
  }

  @Override
  public List<Variant> build(VariantContext context) {
    long seed = context.training().seed();
    return context.optimize().architectures().stream()
        .map(
            name -> {
              MultiLayerNetwork network =
                  ModelZoo.create(name, context.input(), context.training().learningRate(), seed);
              return new Variant(
                  "arch-" + name,
                  "architecture",
                  "fp32",
                  EngineKind.ONNXRUNTIME,
                  "arch-" + name + ".onnx",
                  OnnxExporter.toOnnx(
                      network, context.input().networkShape(), OnnxExporter.WeightPrecision.FP32),
                  ModelCost.of(network, context.inputType()),
                  false,
                  "untrained: cost and speed only");
            })
        .toList();
  }
}
