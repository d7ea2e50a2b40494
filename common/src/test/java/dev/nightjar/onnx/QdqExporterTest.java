package dev.nightjar.onnx;

import static dev.nightjar.onnx.TrainedZoo.FASHION;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nightjar.model.engine.OnnxRuntimeEngine;
import dev.nightjar.onnx.OnnxExporter.WeightPrecision;
import dev.nightjar.optimize.prune.FilterPruner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import onnx.Onnx;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QdqExporterTest {
  private static final int CALIBRATION = 300;
  private static final int EVALUATION = 500;

  @TempDir Path dir;

  @Test
  void int8FashionCnnIsSmallAgreesWithFp32AndRunsOnIntegerKernels() throws Exception {
    MultiLayerNetwork network = TrainedZoo.network("fashion-cnn", TrainedZoo.FASHION_CNN_STEPS);
    // Calibrate on training images the network was not fitted on, evaluate on test images.
    float[] calibration =
        TrainedZoo.train(TrainedZoo.FASHION_CNN_STEPS * TrainedZoo.BATCH + CALIBRATION)
            .images(TrainedZoo.FASHION_CNN_STEPS * TrainedZoo.BATCH, CALIBRATION);
    byte[] fp32 = OnnxExporter.toOnnx(network, FASHION.networkShape(), WeightPrecision.FP32);
    byte[] int8 = QdqExporter.toQdqOnnx(network, FASHION.networkShape(), calibration, CALIBRATION);

    FashionImages test = TrainedZoo.test(EVALUATION);
    float[] reference;
    float[] quantized;
    try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(fp32, 1)) {
      reference = session.predict(test.images(0, EVALUATION), EVALUATION);
    }
    try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(int8, 1)) {
      quantized = session.predict(test.images(0, EVALUATION), EVALUATION);
      assertThat(session.predict(test.images(0, 1), 1)).hasSize(10);
    }
    double agreement = Agreement.argmax(quantized, reference, 10);
    System.out.printf(
        "fashion-cnn: fp32 %d bytes, int8 QDQ %d bytes (%.2fx smaller); argmax agreement %.4f on %d test"
            + " images; accuracy fp32 %.4f, int8 %.4f; max probability difference %.3f%n",
        fp32.length,
        int8.length,
        (double) fp32.length / int8.length,
        agreement,
        EVALUATION,
        accuracy(reference, test),
        accuracy(quantized, test),
        Agreement.maxAbsDifference(quantized, reference));
    assertThat((double) fp32.length / int8.length).isGreaterThanOrEqualTo(3.5);
    assertThat(agreement).isGreaterThanOrEqualTo(0.97);

    assertFirstConvolutionInFloat(int8);
    Map<String, Integer> ops = optimizedOps(int8);
    System.out.println("fashion-cnn int8 after ONNX Runtime's optimizations: " + ops);
    // The second convolution (32 × 3 × 3 products an output) on the integer kernels.
    assertThat(ops).containsEntry("QLinearConv", 1);
    assertThat(ops.keySet())
        .containsAnyOf("QGemm", "QLinearMatMul", "MatMulInteger", "MatMulIntegerToFloat")
        .doesNotContain("Gemm", "MatMul");
  }

  @Test
  void shortReductionsStayInFloat() {
    assertThat(QdqEncoding.shortReduction(new long[] {32, 1, 3, 3})).isTrue();
    assertThat(QdqEncoding.shortReduction(new long[] {20, 1, 5, 5})).isTrue();
    assertThat(QdqEncoding.shortReduction(new long[] {16, 3, 5, 5})).isTrue();
    assertThat(QdqEncoding.shortReduction(new long[] {64, 16, 3, 3})).isFalse();
    assertThat(QdqEncoding.shortReduction(new long[] {50, 20, 5, 5})).isFalse();
  }

  /**
   * The network's first convolution, over one input channel, reads the float input with float
   * weights: no int8 initializer, no DequantizeLinear, no QuantizeLinear on the input.
   */
  private static void assertFirstConvolutionInFloat(byte[] int8) throws Exception {
    Onnx.GraphProto graph = Onnx.ModelProto.parseFrom(int8).getGraph();
    assertThat(graph.getInitializerList())
        .filteredOn(t -> t.getName().equals("layer0_W"))
        .singleElement()
        .satisfies(
            w -> assertThat(w.getDataType()).isEqualTo(Onnx.TensorProto.DataType.FLOAT_VALUE));
    assertThat(graph.getInitializerList())
        .extracting(Onnx.TensorProto::getName)
        .doesNotContain("layer0_W_int8", "layer0_b_int32");
    assertThat(graph.getNodeList())
        .filteredOn(n -> n.getOpType().equals("Conv") && n.getOutput(0).equals("layer0_conv"))
        .singleElement()
        .satisfies(
            n ->
                assertThat(n.getInputList())
                    .containsExactly(NetworkTranslator.INPUT, "layer0_W", "layer0_b"));
    assertThat(graph.getNodeList())
        .filteredOn(n -> n.getInputList().contains(NetworkTranslator.INPUT))
        .extracting(Onnx.NodeProto::getOpType)
        .containsExactly("Conv");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lenet", "separable-cnn"})
  void otherZooNetworksExportToInt8(String name) throws Exception {
    MultiLayerNetwork network = TrainedZoo.network(name, 0);
    float[] images = TrainedZoo.test(CALIBRATION).images(0, CALIBRATION);
    byte[] int8 = QdqExporter.toQdqOnnx(network, FASHION.networkShape(), images, CALIBRATION);
    try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(int8, 1)) {
      float[] probabilities = session.predict(images, 7);
      for (int row = 0; row < 7; row++) {
        double sum = 0;
        for (int c = 0; c < 10; c++) {
          sum += probabilities[row * 10 + c];
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
      }
    }
    assertFirstConvolutionInFloat(int8);
    Map<String, Integer> ops = optimizedOps(int8);
    System.out.println(name + " int8 after ONNX Runtime's optimizations: " + ops);
    assertThat(ops).containsKey("QLinearConv");
  }

  /**
   * Layers the zoo does not use: average pooling, global max pooling, unfolded batch norms, tanh,
   * leaky ReLU.
   */
  @Test
  void edgeCaseNetworkExportsToInt8() throws Exception {
    MultiLayerNetwork network = OnnxExporterTest.edgeCaseNetwork();
    float[] images = TrainedZoo.test(CALIBRATION).images(0, CALIBRATION);
    byte[] int8 = QdqExporter.toQdqOnnx(network, FASHION.networkShape(), images, CALIBRATION);
    int count = 50;
    float[] reference = OnnxExporterTest.dl4j(network, images, count);
    try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(int8, 1)) {
      double difference = Agreement.maxAbsDifference(session.predict(images, count), reference);
      System.out.printf(
          "edge-case network int8: max probability difference from DL4J %.4f%n", difference);
      assertThat(difference).isLessThan(0.1);
    }
    System.out.println(
        "edge-case network int8 after ONNX Runtime's optimizations: " + optimizedOps(int8));
  }

  /**
   * Images per second of fp32 and int8 FashionCNN, whole and filter-pruned by 30% and 50% (16
   * filters a convolution, leaving 16/48 and 16/32 filters), at batch 256 with 1 and 2 intra-op
   * threads: the median of 3 runs of 2 seconds each. A benchmark, not a check: run with
   * -Dnightjar.onnx.bench=true on an otherwise idle machine.
   */
  @Test
  @EnabledIfSystemProperty(named = "nightjar.onnx.bench", matches = "true")
  void throughput() throws Exception {
    MultiLayerNetwork network = TrainedZoo.network("fashion-cnn", TrainedZoo.FASHION_CNN_STEPS);
    float[] images = TrainedZoo.test(1024).images(0, 1024);
    Map<String, MultiLayerNetwork> networks = new LinkedHashMap<>();
    networks.put("fashion-cnn", network);
    networks.put("filter-pruned-30", FilterPruner.prune(network, 0.3, 16));
    networks.put("filter-pruned-50", FilterPruner.prune(network, 0.5, 16));
    int batch = 256;
    for (Map.Entry<String, MultiLayerNetwork> entry : networks.entrySet()) {
      Map<String, byte[]> models = new LinkedHashMap<>();
      models.put(
          "fp32",
          OnnxExporter.toOnnx(entry.getValue(), FASHION.networkShape(), WeightPrecision.FP32));
      models.put(
          "int8",
          QdqExporter.toQdqOnnx(entry.getValue(), FASHION.networkShape(), images, CALIBRATION));
      for (int threads : new int[] {1, 2}) {
        for (Map.Entry<String, byte[]> model : models.entrySet()) {
          try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(model.getValue(), threads)) {
            for (int i = 0; i < 5; i++) {
              session.predict(images, batch);
            }
            double[] rates = new double[3];
            for (int repetition = 0; repetition < rates.length; repetition++) {
              int runs = 0;
              long start = System.nanoTime();
              while (System.nanoTime() - start < 2_000_000_000L) {
                session.predict(images, batch);
                runs++;
              }
              rates[repetition] = runs * batch / ((System.nanoTime() - start) / 1e9);
            }
            Arrays.sort(rates);
            System.out.printf(
                "%s %s, batch %d, %d intra-op thread(s): %.0f images/s (runs %.0f–%.0f)%n",
                entry.getKey(), model.getKey(), batch, threads, rates[1], rates[0], rates[2]);
          }
        }
      }
    }
  }

  private static double accuracy(float[] probabilities, FashionImages images) {
    int rows = probabilities.length / 10;
    int right = 0;
    for (int row = 0; row < rows; row++) {
      if (Agreement.argmax(probabilities, row, 10) == images.labels()[row]) {
        right++;
      }
    }
    return (double) right / rows;
  }

  /**
   * Node types, with counts, of the graph ONNX Runtime runs after the optimizations
   * OnnxRuntimeEngine runs.
   */
  private Map<String, Integer> optimizedOps(byte[] model) throws Exception {
    Path optimized = Files.createTempFile(dir, "optimized", ".onnx");
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      OnnxRuntimeEngine.optimizeAsServed(options);
      options.setOptimizedModelFilePath(optimized.toString());
      OrtEnvironment.getEnvironment().createSession(model, options).close();
    }
    Map<String, Integer> ops = new TreeMap<>();
    for (Onnx.NodeProto node :
        Onnx.ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph().getNodeList()) {
      ops.merge(node.getOpType(), 1, Integer::sum);
    }
    return ops;
  }
}
