package dev.nightjar.data;

/**
 * How raw 8-bit pixels become a network's input, written into {@code serving.json} so that a reader
 * outside the JVM (Python's onnxruntime, say) feeds the serving model what Nightjar feeds it.
 *
 * @param layout the input tensor's axes: {@code NCHW}, batch first, then the image's channels
 *     (grey, or red, green, blue), rows and columns
 * @param dataType the tensor's element type
 * @param divisor each pixel, 0 to 255, is divided by it
 */
public record InputScaling(String layout, String dataType, double divisor) {

  /** The scaling {@link PixelScaling#toUnitRange} applies. */
  public static InputScaling unitRange() {
    return new InputScaling("NCHW", "float32", PixelScaling.DIVISOR);
  }
}
