package dev.nightjar.onnx;

import static dev.nightjar.onnx.TrainedZoo.FASHION;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nightjar.model.engine.OnnxRuntimeEngine;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Layers whose width w has 16 < w % 32, as filter pruning leaves them (22 filters of 32): the
 * partial tail of a 32-column block in ONNX Runtime's u8s8 GEMM. ONNX Runtime 1.23's AMX kernel
 * (MlasGemmU8S8DispatchAmx) computes garbage there (microsoft/onnxruntime#26324); the fix
 * (microsoft/onnxruntime#27671) ships from ONNX Runtime 1.25, and the export keeps such layers at
 * their own width.
 */
class QdqOddWidthTest {
  private static final int IMAGES = 64;

  /**
   * The int8 model on ONNX Runtime's integer kernels against the same QDQ graph computed in float
   * (optimizations off, so nothing fuses): they differ by rounding only, at widths on a 32-column
   * block's partial tail. On ONNX Runtime 1.23 and a CPU with AMX, the 22-filter convolution is
   * wrong in every 32nd pixel of its last 6 channels and the outputs here differ by 70% of the
   * largest. On a CPU without AMX the AMX kernel does not run, and both paths agree whatever its
   * state; only a CPU with AMX-INT8 checks it.
   */
  @Test
  void oddWidthsComputeOnIntegerKernelsWhatTheQdqGraphSays(@TempDir Path dir) throws Exception {
    MultiLayerNetwork network = oddWidthNetwork();
    float[] images = TrainedZoo.test(IMAGES).images(0, IMAGES);
    byte[] int8 = QdqExporter.toQdqOnnx(network, FASHION.networkShape(), images, IMAGES);

    float[] simulated = unfused(int8, images);
    float[] integer;
    try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(int8, 1)) {
      integer = session.predict(images, IMAGES);
    }
    double difference = Agreement.maxAbsDifference(integer, simulated);
    double largest = Agreement.maxAbsDifference(simulated, new float[simulated.length]);
    System.out.printf(
        "odd-width network int8: max output difference, integer kernels vs QDQ in float %.4f"
            + " (largest output %.4f)%n",
        difference, largest);
    assertThat(difference).isLessThan(0.02 * largest);

    Onnx.GraphProto graph = Onnx.ModelProto.parseFrom(int8).getGraph();
    assertThat(graph.getInitializerList())
        .filteredOn(t -> t.getName().equals("layer1_W_int8"))
        .singleElement()
        .satisfies(w -> assertThat(w.getDimsList()).containsExactly(22L, 16L, 3L, 3L));
    assertThat(graph.getInitializerList())
        .filteredOn(t -> t.getName().equals("layer5_W_int8"))
        .singleElement()
        .satisfies(w -> assertThat(w.getDimsList()).containsExactly(22L, 20L));
    assertThat(graph.getNodeList()).extracting(Onnx.NodeProto::getOpType).doesNotContain("Slice");
    assertThat(optimizedOps(int8, dir)).contains("QLinearConv", "QGemm").doesNotContain("Gemm");
  }

  /**
   * 22 convolution filters and 20 dense units, both widths on the faulty tail; the 22-filter
   * convolution as the zoo's FashionCNN has it, with a batch norm folded into it and a separate
   * ReLU layer, after a 16-filter one (a convolution over the one-channel image stays in float).
   */
  private static MultiLayerNetwork oddWidthNetwork() {
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(5)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(
                    new ConvolutionLayer.Builder(3, 3)
                        .nOut(16)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU)
                        .build())
                .layer(
                    new ConvolutionLayer.Builder(3, 3)
                        .nOut(22)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new DenseLayer.Builder().nOut(20).activation(Activation.RELU).build())
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nOut(10)
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
    network.init();
    OnnxExporterTest.randomiseBatchNorms(network);
    return network;
  }

  /** Node types of the graph ONNX Runtime runs after the optimizations OnnxRuntimeEngine runs. */
  private static Set<String> optimizedOps(byte[] model, Path dir) throws Exception {
    Path optimized = dir.resolve("optimized.onnx");
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      OnnxRuntimeEngine.optimizeAsServed(options);
      options.setOptimizedModelFilePath(optimized.toString());
      OrtEnvironment.getEnvironment().createSession(model, options).close();
    }
    return Onnx.ModelProto.parseFrom(Files.readAllBytes(optimized))
        .getGraph()
        .getNodeList()
        .stream()
        .map(Onnx.NodeProto::getOpType)
        .collect(Collectors.toSet());
  }

  /**
   * The model with ONNX Runtime's graph optimizations off: every QDQ pair runs as written, in
   * float.
   */
  private static float[] unfused(byte[] model, float[] images) throws Exception {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      options.setIntraOpNumThreads(1);
      try (OrtSession session = environment.createSession(model, options);
          OnnxTensor input =
              OnnxTensor.createTensor(
                  environment, FloatBuffer.wrap(images), new long[] {IMAGES, 1, 28, 28});
          OrtSession.Result result = session.run(Map.of(NetworkTranslator.INPUT, input))) {
        FloatBuffer probabilities = ((OnnxTensor) result.get(0)).getFloatBuffer();
        float[] values = new float[probabilities.remaining()];
        probabilities.get(values);
        return values;
      }
    }
  }
}
