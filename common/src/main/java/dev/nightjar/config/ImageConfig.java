package dev.nightjar.config;

import java.io.Serializable;

/**
 * The shape every decoded image is resized to; channels 1 (grey) or 3 (RGB).
 *
 * @param maxPixels the most pixels an image may declare
 * @param maxBytes the largest encoded image read
 */
public record ImageConfig(int channels, int height, int width, long maxPixels, long maxBytes)
    implements Serializable {
  public ImageConfig {
    if (channels != 1 && channels != 3) {
      throw ConfigException.badValue(
          ConfigKeys.PREPARE_IMAGE_CHANNELS, channels, "must be 1 (grey) or 3 (RGB)");
    }
    Checks.atLeast(1, height, ConfigKeys.PREPARE_IMAGE_HEIGHT);
    Checks.atLeast(1, width, ConfigKeys.PREPARE_IMAGE_WIDTH);
    if (maxPixels < 1) {
      throw ConfigException.badValue(
          ConfigKeys.PREPARE_MAX_IMAGE_PIXELS, maxPixels, "must be at least 1");
    }
    if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
      throw ConfigException.badValue(
          ConfigKeys.PREPARE_MAX_IMAGE_BYTES, maxBytes, "must be from 1 to 2147483639");
    }
  }

  public int[] shape() {
    return new int[] {channels, height, width};
  }

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private int channels = 1;
    private int height = 28;
    private int width = 28;
    private long maxPixels = 50_000_000L;
    private long maxBytes = 67_108_864L;

    private Builder() {}

    public Builder channels(int value) {
      channels = value;
      return this;
    }

    public Builder height(int value) {
      height = value;
      return this;
    }

    public Builder width(int value) {
      width = value;
      return this;
    }

    public Builder maxPixels(long value) {
      maxPixels = value;
      return this;
    }

    public Builder maxBytes(long value) {
      maxBytes = value;
      return this;
    }

    public ImageConfig build() {
      return new ImageConfig(channels, height, width, maxPixels, maxBytes);
    }
  }
}
