package dev.nightjar.metrics;

import java.io.Serializable;
import java.time.Instant;

/** One figure a stage reports, such as {@code test_accuracy} or {@code train_images_per_s}. */
public record Metric(String name, double value, Instant time) implements Serializable {
  public static Metric of(String name, double value) {
    return new Metric(name, value, Instant.now());
  }
}
