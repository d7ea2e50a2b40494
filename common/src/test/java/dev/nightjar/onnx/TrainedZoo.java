package dev.nightjar.onnx;

import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.ModelZoo;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Zoo networks trained briefly on real Fashion-MNIST, so that weights and batch-norm statistics are
 * far from their initial values; trained once per JVM and shared by the tests of this package.
 */
final class TrainedZoo {
  static final ModelInput FASHION = new ModelInput(1, 28, 28, 10);
  static final int BATCH = 50;

  /** Enough for about 80% test accuracy: weights and activation ranges like a real model's. */
  static final int FASHION_CNN_STEPS = 120;

  private static final Map<String, MultiLayerNetwork> TRAINED = new HashMap<>();
  private static FashionImages train;
  private static FashionImages test;

  private TrainedZoo() {}

  /**
   * {@code name} after {@code steps} minibatches of 50 (the first 50·steps training images, one
   * pass).
   */
  static synchronized MultiLayerNetwork network(String name, int steps) {
    return TRAINED.computeIfAbsent(
        name + "@" + steps,
        key -> {
          MultiLayerNetwork network = ModelZoo.create(name, FASHION, 1e-3, 7);
          FashionImages images = train(steps * BATCH);
          for (int step = 0; step < steps; step++) {
            network.fit(images.batch(step * BATCH, BATCH));
          }
          return network;
        });
  }

  static synchronized FashionImages train(int count) {
    if (train == null || train.count() < count) {
      train = FashionImages.read("train", count);
    }
    return train;
  }

  static synchronized FashionImages test(int count) {
    if (test == null || test.count() < count) {
      test = FashionImages.read("t10k", count);
    }
    return test;
  }
}
