package dev.nightjar.optimize.variant;

import dev.nightjar.config.EngineKind;
import dev.nightjar.onnx.OnnxExporter;
import dev.nightjar.onnx.QdqExporter;
import dev.nightjar.optimize.measure.ModelCost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Turns a network into the variants the engines serve: a DL4J zip, an ONNX file, a QDQ int8 file.
 */
final class VariantFiles {
  private VariantFiles() {}

  static byte[] dl4jZip(MultiLayerNetwork network) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ModelSerializer.writeModel(network, out, false);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The network on DL4J (from its zip) and on ONNX Runtime (fp32 ONNX), named {@code name}. */
  static List<Variant> onBothEngines(
      String name, String method, MultiLayerNetwork network, VariantContext context, String note) {
    ModelCost cost = ModelCost.of(network, context.inputType());
    return List.of(
        new Variant(
            name,
            method,
            "fp32",
            EngineKind.DL4J,
            name + ".zip",
            dl4jZip(network),
            cost,
            true,
            note),
        new Variant(
            name,
            method,
            "fp32",
            EngineKind.ONNXRUNTIME,
            name + ".onnx",
            OnnxExporter.toOnnx(
                network, context.input().networkShape(), OnnxExporter.WeightPrecision.FP32),
            cost,
            true,
            note));
  }

  /** The network quantized to int8 (QDQ, calibrated on the context's images), on ONNX Runtime. */
  static Variant int8(
      String name, String method, MultiLayerNetwork network, VariantContext context, String note) {
    byte[] model =
        QdqExporter.toQdqOnnx(
            network,
            context.input().networkShape(),
            context.calibration().images(),
            context.calibration().count());
    return new Variant(
        name,
        method,
        "int8",
        EngineKind.ONNXRUNTIME,
        name + ".onnx",
        model,
        ModelCost.of(network, context.inputType()),
        true,
        note);
  }
}
