package dev.nightjar.onnx;

import static dev.nightjar.onnx.TrainedZoo.FASHION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nightjar.model.engine.OnnxRuntimeEngine;
import dev.nightjar.onnx.OnnxExporter.WeightPrecision;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class OnnxExporterTest {
  @ParameterizedTest
  @ValueSource(strings = {"fashion-cnn", "lenet", "separable-cnn"})
  void fp32MatchesDl4jOnRealImages(String name) throws Exception {
    MultiLayerNetwork network = subject(name);
    FashionImages images = TrainedZoo.test(64);
    byte[] model = OnnxExporter.toOnnx(network, FASHION.networkShape(), WeightPrecision.FP32);
    try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(model, 1)) {
      for (int batch : new int[] {37, 1, 64}) {
        assertClose(
            session.predict(images.images(0, batch), batch),
            dl4j(network, images.images(0, batch), batch),
            1e-4);
      }
    }
  }

  /**
   * FashionCNN as trained for the int8 tests, LeNet briefly trained; separable-cnn's separable
   * convolutions train slowly on DL4J's CPU backend (seconds a step here), so it is exported as
   * initialised with randomised batch-norm statistics instead.
   */
  private static MultiLayerNetwork subject(String name) {
    switch (name) {
      case "fashion-cnn":
        return TrainedZoo.network(name, TrainedZoo.FASHION_CNN_STEPS);
      case "lenet":
        return TrainedZoo.network(name, 30);
      default:
        MultiLayerNetwork network = TrainedZoo.network(name, 0).clone();
        randomiseBatchNorms(network);
        return network;
    }
  }

  /** serving.json names the tensors by these constants, for readers outside the JVM. */
  @Test
  void theGraphsTensorsHaveTheDocumentedNames() throws Exception {
    byte[] model =
        OnnxExporter.toOnnx(
            TrainedZoo.network("tiny-cnn", 0), FASHION.networkShape(), WeightPrecision.FP32);
    try (OrtSession session = OrtEnvironment.getEnvironment().createSession(model)) {
      assertThat(session.getInputNames()).containsExactly(OnnxExporter.INPUT_NAME);
      assertThat(session.getOutputNames()).containsExactly(OnnxExporter.OUTPUT_NAME);
    }
  }

  @Test
  void halfPrecisionFilesAreHalfTheSizeAndAgreeOnTheClass() throws Exception {
    MultiLayerNetwork network = TrainedZoo.network("fashion-cnn", TrainedZoo.FASHION_CNN_STEPS);
    int count = 300;
    float[] images = TrainedZoo.test(count).images(0, count);
    float[] reference = dl4j(network, images, count);
    byte[] fp32 = OnnxExporter.toOnnx(network, FASHION.networkShape(), WeightPrecision.FP32);
    for (WeightPrecision precision :
        new WeightPrecision[] {WeightPrecision.FP16, WeightPrecision.BF16}) {
      byte[] model = OnnxExporter.toOnnx(network, FASHION.networkShape(), precision);
      assertThat((double) model.length).isLessThanOrEqualTo(0.55 * fp32.length);
      try (OnnxRuntimeEngine session = new OnnxRuntimeEngine(model, 1)) {
        float[] predicted = session.predict(images, count);
        double agreement = Agreement.argmax(predicted, reference, 10);
        double maxError = Agreement.maxAbsDifference(predicted, reference);
        System.out.printf(
            "%s: %d bytes (fp32 %d), argmax agreement %.4f, max probability error %.2e%n",
            precision, model.length, fp32.length, agreement, maxError);
        assertThat(agreement).isGreaterThanOrEqualTo(0.99);
        assertThat(maxError).isLessThan(precision == WeightPrecision.FP16 ? 0.01 : 0.1);
      }
    }
  }

  /**
   * Shapes the zoo does not exercise: even kernels and odd sizes under Same padding (where DL4J
   * pads more after than before), Same max-pooling, batch norms that cannot fold (after a ReLU, and
   * on dense activations), global max pooling, depth multiplier 2, with randomised batch-norm
   * statistics.
   */
  @Test
  void edgeCasesMatchDl4j() throws Exception {
    MultiLayerNetwork network = edgeCaseNetwork();
    int count = 23;
    float[] images = TrainedZoo.test(count).images(0, count);
    try (OnnxRuntimeEngine session =
        new OnnxRuntimeEngine(
            OnnxExporter.toOnnx(network, FASHION.networkShape(), WeightPrecision.FP32), 1)) {
      assertClose(session.predict(images, count), dl4j(network, images, count), 1e-4);
    }
  }

  static MultiLayerNetwork edgeCaseNetwork() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(
                new ConvolutionLayer.Builder(4, 4)
                    .stride(1, 1)
                    .nOut(6)
                    .convolutionMode(ConvolutionMode.Same)
                    .activation(Activation.TANH)
                    .build())
            .layer(new BatchNormalization.Builder().build())
            .layer(
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(3, 3)
                    .stride(2, 2)
                    .convolutionMode(ConvolutionMode.Same)
                    .build())
            .layer(
                new SeparableConvolution2D.Builder(2, 2)
                    .nOut(8)
                    .depthMultiplier(2)
                    .convolutionMode(ConvolutionMode.Same)
                    .activation(Activation.IDENTITY)
                    .build())
            .layer(new BatchNormalization.Builder().build())
            .layer(
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG)
                    .kernelSize(2, 2)
                    .stride(1, 1)
                    .build())
            .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
            .layer(new DenseLayer.Builder().nOut(12).activation(Activation.LEAKYRELU).build())
            .layer(new BatchNormalization.Builder().build())
            .layer(new DenseLayer.Builder().nOut(9).activation(Activation.IDENTITY).build())
            .layer(new BatchNormalization.Builder().build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nOut(10)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(28, 28, 1))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    randomiseBatchNorms(network);
    return network;
  }

  @Test
  void unsupportedLayersAreNamed() {
    MultiLayerNetwork nhwc =
        network(
            new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC).build(),
            InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC));
    assertThatThrownBy(
            () -> OnnxExporter.toOnnx(nhwc, FASHION.networkShape(), WeightPrecision.FP32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer 0 (ConvolutionLayer)")
        .hasMessageContaining("NHWC");
    MultiLayerNetwork deconvolution =
        network(
            new Deconvolution2D.Builder(3, 3).nOut(4).build(), InputType.convolutional(28, 28, 1));
    assertThatThrownBy(
            () -> OnnxExporter.toOnnx(deconvolution, FASHION.networkShape(), WeightPrecision.FP32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer 0 (Deconvolution2D)");
  }

  private static MultiLayerNetwork network(
      org.deeplearning4j.nn.conf.layers.Layer first, InputType inputType) {
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .list()
                .layer(first)
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(inputType)
                .build());
    network.init();
    return network;
  }

  /** Batch-norm statistics and affine parameters far from their initial 0 and 1. */
  static void randomiseBatchNorms(MultiLayerNetwork network) {
    Nd4j.getRandom().setSeed(11);
    for (org.deeplearning4j.nn.api.Layer layer : network.getLayers()) {
      if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
        for (String key : layer.paramTable().keySet()) {
          INDArray param = layer.getParam(key);
          INDArray random = Nd4j.rand(DataType.FLOAT, param.shape());
          switch (key) {
            case "gamma" -> param.assign(random.muli(1.5).addi(0.25));
            case "log10stdev" -> param.assign(random.muli(1.0).subi(0.5));
            case "var" -> param.assign(random.muli(2).addi(0.1));
            default -> param.assign(random.subi(0.5));
          }
        }
      }
    }
  }

  static float[] dl4j(MultiLayerNetwork network, float[] images, int count) {
    float[] batch = java.util.Arrays.copyOf(images, count * FashionImages.SIZE);
    INDArray output = network.output(Nd4j.create(batch, new long[] {count, 1, 28, 28}, 'c'), false);
    return output.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  static void assertClose(float[] actual, float[] expected, double tolerance) {
    assertThat(actual).hasSameSizeAs(expected);
    double worst = Agreement.maxAbsDifference(actual, expected);
    assertThat(worst).as("max |onnx - dl4j| per probability").isLessThanOrEqualTo(tolerance);
  }
}
