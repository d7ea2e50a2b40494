package dev.nightjar.config;

import java.io.Serializable;

/**
 * Seeded augmentation of the training split: a random affine transform and a horizontal flip.
 *
 * @param rotationDegrees rotation drawn from [-r, r]
 * @param translate shift drawn from [-t, t] times the width and height
 * @param scaleMin smallest zoom factor; {@code scaleMax} the largest
 * @param copies augmented copies written per training example, each with its own draw
 */
public record AugmentConfig(
    boolean enabled,
    double rotationDegrees,
    double translate,
    double scaleMin,
    double scaleMax,
    boolean horizontalFlip,
    int copies)
    implements Serializable {

  public AugmentConfig {
    Checks.atLeast(1, copies, ConfigKeys.PREPARE_AUGMENT_COPIES);
    if (copies > 1 && !enabled) {
      throw ConfigException.badValue(
          ConfigKeys.PREPARE_AUGMENT_COPIES,
          copies,
          "augmented copies need " + ConfigKeys.PREPARE_AUGMENT_ENABLED + " = true");
    }
    Checks.inRange(0, 180, rotationDegrees, ConfigKeys.PREPARE_AUGMENT_ROTATION);
    Checks.inRange(0, 0.5, translate, ConfigKeys.PREPARE_AUGMENT_TRANSLATE);
    Checks.positive(scaleMin, ConfigKeys.PREPARE_AUGMENT_SCALE_MIN);
    if (scaleMax < scaleMin) {
      throw ConfigException.badValue(
          ConfigKeys.PREPARE_AUGMENT_SCALE_MAX,
          scaleMax,
          "must not be below " + ConfigKeys.PREPARE_AUGMENT_SCALE_MIN + " = " + scaleMin);
    }
  }

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private boolean enabled = false;
    private double rotationDegrees = 5;
    private double translate = 0.1;
    private double scaleMin = 0.5;
    private double scaleMax = 2.0;
    private boolean horizontalFlip = false;
    private int copies = 1;

    private Builder() {}

    public Builder enabled(boolean value) {
      enabled = value;
      return this;
    }

    public Builder rotationDegrees(double value) {
      rotationDegrees = value;
      return this;
    }

    public Builder translate(double value) {
      translate = value;
      return this;
    }

    public Builder scaleMin(double value) {
      scaleMin = value;
      return this;
    }

    public Builder scaleMax(double value) {
      scaleMax = value;
      return this;
    }

    public Builder horizontalFlip(boolean value) {
      horizontalFlip = value;
      return this;
    }

    public Builder copies(int value) {
      copies = value;
      return this;
    }

    public AugmentConfig build() {
      return new AugmentConfig(
          enabled, rotationDegrees, translate, scaleMin, scaleMax, horizontalFlip, copies);
    }
  }
}
