package dev.nightjar.model.engine;

/**
 * Runs a classifier on batches of images. Implementations say whether one instance may be called
 * from several threads at once; {@link EnginePool} hides the difference from the callers.
 */
public interface InferenceEngine extends AutoCloseable {
  /**
   * Class probabilities for a batch.
   *
   * @param images {@code batch} images, channels × height × width each, scaled to [0, 1]
   * @return {@code batch × numClasses()} probabilities, row by row
   */
  float[] predict(float[] images, int batch);

  int numClasses();

  @Override
  void close();
}
