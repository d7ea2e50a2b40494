package dev.nightjar.optimize;

import dev.nightjar.metrics.Charts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The plot of the variants' test accuracy against their throughput, one colour per engine. */
final class VariantsPlot {
  private VariantsPlot() {}

  static byte[] png(List<VariantResult> results) {
    Map<String, List<Charts.LabelledPoint>> byEngine = new LinkedHashMap<>();
    for (VariantResult r : results) {
      if (r.hasAccuracy()) {
        byEngine.computeIfAbsent(r.engine(), e -> new java.util.ArrayList<>())
            .add(new Charts.LabelledPoint(r.name(), r.imagesPerSecond(), r.testAccuracy() * 100));
      }
    }
    return Charts.scatter("Model variants: test accuracy against throughput", "images/s (one thread, batch of "
        + "the throughput setting)", "test accuracy (%)", byEngine);
  }
}
