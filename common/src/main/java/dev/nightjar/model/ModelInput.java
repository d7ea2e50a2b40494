package dev.nightjar.model;

import dev.nightjar.onnx.NetworkShape;

/** The shape of what a network reads and predicts: channels × height × width in, classes out. */
public record ModelInput(int channels, int height, int width, int numClasses) {
  public static ModelInput of(int[] imageShape, int numClasses) {
    return new ModelInput(imageShape[0], imageShape[1], imageShape[2], numClasses);
  }

  /** The same shape for the ONNX exporter, which knows nothing of Nightjar's models. */
  public NetworkShape networkShape() {
    return new NetworkShape(channels, height, width, numClasses);
  }
}
