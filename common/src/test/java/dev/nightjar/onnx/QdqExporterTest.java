package dev.nightjar.onnx;

import static dev.nightjar.onnx.TrainedZoo.FASHION;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nightjar.model.engine.OnnxRuntimeEngine;
import dev.nightjar.onnx.OnnxExporter.WeightPrecision;
import java.nio.file.Files;
import java.nio.file.Path;
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

    Map<String, Integer> ops = optimizedOps(int8);
    System.out.println("fashion-cnn int8 after ONNX Runtime's optimizations: " + ops);
    assertThat(ops).containsKey("QLinearConv").doesNotContainKey("Conv");
    assertThat(ops.keySet())
        .containsAnyOf("QGemm", "QLinearMatMul", "MatMulInteger", "MatMulIntegerToFloat")
        .doesNotContain("Gemm", "MatMul");
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
    Map<String, Integer> ops = optimizedOps(int8);
    System.out.println(name + " int8 after ONNX Runtime's optimizations: " + ops);
    assertThat(ops).containsKey("QLinearConv").doesNotContainKey("Conv");
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
   * Images per second of fp32 and int8 FashionCNN at batch 256 with 1 and 2 intra-op threads. A
   * benchmark, not a check: run with -Dnightjar.onnx.bench=true on an otherwise idle machine.
   */
  @Test
  @EnabledIfSystemProperty(named = "nightjar.onnx.bench", matches = "true")
  void throughput() throws Exception {
    MultiLayerNetwork network = TrainedZoo.network("fashion-cnn", TrainedZoo.FASHION_CNN_STEPS);
    float[] images = TrainedZoo.test(1024).images(0, 1024);
    Map<String, byte[]> models =
        Map.of(
            "fp32", OnnxExporter.toOnnx(network, FASHION.networkShape(), WeightPrecision.FP32),
            "int8", QdqExporter.toQdqOnnx(network, FASHION.networkShape(), images, CALIBRATION));
    int batch = 256;
    for (int threads : new int[] {1, 2}) {
      for (String kind : new String[] {"fp32", "int8"}) {
        try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(models.get(kind), threads)) {
          for (int i = 0; i < 5; i++) {
            session.predict(images, batch);
          }
          int runs = 0;
          long start = System.nanoTime();
          while (System.nanoTime() - start < 5_000_000_000L) {
            session.predict(images, batch);
            runs++;
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          System.out.printf(
              "fashion-cnn %s, batch %d, %d intra-op thread(s): %.0f images/s%n",
              kind, batch, threads, runs * batch / seconds);
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

  /** Node types, with counts, of the graph ONNX Runtime runs after its level-ALL optimizations. */
  private Map<String, Integer> optimizedOps(byte[] model) throws Exception {
    Path optimized = Files.createTempFile(dir, "optimized", ".onnx");
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
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
