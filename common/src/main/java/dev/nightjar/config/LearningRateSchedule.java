package dev.nightjar.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the learning rate changes from epoch to epoch. Each is a function of the epoch and the number
 * of epochs alone, so a resumed run uses the rates an uninterrupted one would.
 */
public enum LearningRateSchedule {
  /** Multiplied by the decay after every epoch. */
  EXPONENTIAL,
  /**
   * Half a cosine from the base rate in the first epoch toward zero after the last: large steps
   * while the model is far from a minimum, small ones that settle it at the end.
   */
  COSINE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The factor the base rate is multiplied by in {@code epoch} (1 to {@code epochs}); {@code decay}
   * applies to {@link #EXPONENTIAL} only.
   */
  public double factor(int epoch, int epochs, double decay) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epochs count from 1, got " + epoch);
    }
    return switch (this) {
      case EXPONENTIAL -> Math.pow(decay, epoch - 1);
      case COSINE -> 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / Math.max(epochs, epoch)));
    };
  }

  public static LearningRateSchedule parse(String text, String key) {
    for (LearningRateSchedule schedule : values()) {
      if (schedule.label().equalsIgnoreCase(text.trim())) {
        return schedule;
      }
    }
    throw ConfigException.badValue(
        key,
        text,
        "expected one of " + Arrays.stream(values()).map(LearningRateSchedule::label).toList());
  }
}
