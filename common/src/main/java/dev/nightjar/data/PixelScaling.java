package dev.nightjar.data;

/**
 * Turns raw 8-bit pixels into network inputs. Training shards and inference share this one
 * function, so a model never sees inputs scaled differently from those it was trained on.
 */
public final class PixelScaling {
  /** Each pixel is divided by it; {@link InputScaling#unitRange} records it for other readers. */
  public static final float DIVISOR = 255f;

  private PixelScaling() {}

  /** Scales unsigned bytes to [0, 1], writing {@code pixels.length} floats from {@code offset}. */
  public static void toUnitRange(byte[] pixels, float[] target, int offset) {
    for (int i = 0; i < pixels.length; i++) {
      target[offset + i] = (pixels[i] & 0xFF) / DIVISOR;
    }
  }
}
