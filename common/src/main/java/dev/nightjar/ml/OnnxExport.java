package dev.nightjar.ml;

import dev.nightjar.config.EngineKind;
import dev.nightjar.io.OutputWriteException;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.ModelMetadata;
import dev.nightjar.model.ModelStore;
import dev.nightjar.onnx.OnnxExporter;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A trained model exported to ONNX at full precision, as the optimize stage's fp32 variant. */
final class OnnxExport {
  static final String FILE = "model.onnx";

  private OnnxExport() {}

  /** Exports the network of the model folder {@code modelsDir} to {@code target}. */
  static ModelFile export(Configuration conf, Path modelsDir, Path target) {
    ModelMetadata metadata = ModelStore.readMetadata(conf, modelsDir);
    MultiLayerNetwork network = ModelStore.loadNetwork(conf, modelsDir);
    int classes = metadata.classNames().size();
    byte[] onnx =
        OnnxExporter.toOnnx(
            network,
            ModelInput.of(metadata.inputShape(), classes).networkShape(),
            OnnxExporter.WeightPrecision.FP32);
    try (OutputStream out = target.getFileSystem(conf).create(target, true)) {
      out.write(onnx);
    } catch (IOException e) {
      throw new OutputWriteException(target, e);
    }
    return new ModelFile(
        ModelFiles.qualified(conf, target.toString()),
        ModelDigest.sha256(onnx),
        metadata.version() + "-fp32",
        EngineKind.ONNXRUNTIME,
        metadata.inputShape(),
        classes);
  }
}
