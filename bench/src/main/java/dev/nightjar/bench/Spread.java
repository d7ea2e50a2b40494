package dev.nightjar.bench;

import java.util.List;

/** The median and range of one figure measured over several rounds. */
record Spread(double median, double min, double max) {
  static Spread of(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Spread(Stats.of(values).median(), sorted[0], sorted[sorted.length - 1]);
  }
}
