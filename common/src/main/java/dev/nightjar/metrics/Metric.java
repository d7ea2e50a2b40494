package dev.nightjar.metrics;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One figure a stage reports, such as {@code test_accuracy} or {@code train_images_per_s}. */
public record Metric(String name, double value, Instant time) implements Serializable {
  public static Metric of(String name, double value) {
    return new Metric(name, value, Instant.now());
  }

  /** The figures by name, in order. */
  public static Map<String, Double> asMap(List<Metric> metrics) {
    Map<String, Double> byName = new LinkedHashMap<>();
    metrics.forEach(metric -> byName.put(metric.name(), metric.value()));
    return byName;
  }
}
