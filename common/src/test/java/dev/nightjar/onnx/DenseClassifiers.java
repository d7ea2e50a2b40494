package dev.nightjar.onnx;

import java.util.SplittableRandom;

/**
 * Small ONNX classifiers of Fashion-MNIST's shape, written without DL4J: {@code [N, 1, 28, 28]}
 * flattened, one hidden ReLU layer of {@code hidden} units, then softmax over ten classes. Their
 * weights are random from {@code seed}, so two seeds give two files with different digests.
 */
public final class DenseClassifiers {
  public static final int[] IMAGE_SHAPE = {1, 28, 28};
  public static final int CLASSES = 10;

  private DenseClassifiers() {}

  public static byte[] model(int hidden, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int pixels = IMAGE_SHAPE[0] * IMAGE_SHAPE[1] * IMAGE_SHAPE[2];
    OnnxGraph graph = new OnnxGraph("dense-" + hidden + "-" + seed);
    graph.input(OnnxExporter.INPUT_NAME, IMAGE_SHAPE[0], IMAGE_SHAPE[1], IMAGE_SHAPE[2]);
    graph.node("Flatten", "flat", OnnxExporter.INPUT_NAME).i("axis", 1);
    graph.node(
        "MatMul",
        "hidden_in",
        "flat",
        graph.floats("w1", new long[] {pixels, hidden}, weights(random, pixels * hidden)));
    graph.node("Relu", "hidden_out", "hidden_in");
    graph.node(
        "MatMul",
        "logits",
        "hidden_out",
        graph.floats("w2", new long[] {hidden, CLASSES}, weights(random, hidden * CLASSES)));
    graph.node("Softmax", OnnxExporter.OUTPUT_NAME, "logits").i("axis", 1);
    graph.output(OnnxExporter.OUTPUT_NAME, CLASSES);
    return graph.toModelBytes();
  }

  private static float[] weights(SplittableRandom random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
    }
    return values;
  }
}
