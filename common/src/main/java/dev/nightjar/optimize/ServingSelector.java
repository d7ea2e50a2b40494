package dev.nightjar.optimize;

import dev.nightjar.optimize.variant.Variant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the serving model: the fastest trained variant on the serving engine whose test accuracy
 * is within the tolerance of the fp32 baseline's on the same engine. Every faster variant that lost
 * too much accuracy is named with its loss, so nothing is dropped silently.
 */
public final class ServingSelector {

  private final String engine;
  private final double tolerancePoints;

  public ServingSelector(String engine, double tolerancePoints) {
    this.engine = engine;
    this.tolerancePoints = tolerancePoints;
  }

  /** The choice among {@code results}, which must hold the baseline measured on the engine. */
  public Choice choose(List<VariantResult> results) {
    VariantResult baseline =
        results.stream()
            .filter(r -> r.name().equals(Variant.BASELINE) && r.engine().equals(engine))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no " + Variant.BASELINE + " baseline measured on " + engine));
    List<VariantResult> candidates =
        results.stream()
            .filter(r -> r.engine().equals(engine) && r.hasAccuracy())
            .sorted(Comparator.comparingDouble(VariantResult::imagesPerSecond).reversed())
            .toList();
    List<String> rejected = new ArrayList<>();
    for (VariantResult candidate : candidates) {
      double drop = drop(baseline, candidate);
      if (drop <= tolerancePoints + 1e-9) {
        return new Choice(candidate, baseline, reason(candidate, baseline, drop), rejected);
      }
      rejected.add(
          String.format(
              "%s: %.0f images/s but %.2f points below the baseline (tolerance %.2f)",
              candidate.name(), candidate.imagesPerSecond(), drop, tolerancePoints));
    }
    throw new IllegalStateException(
        "no variant on " + engine + " is within the tolerance, not even the baseline");
  }

  /** The variant chosen, the baseline it was compared with, and the reasons. */
  public record Choice(
      VariantResult chosen, VariantResult baseline, String reason, List<String> rejected) {
    public Optional<String> firstRejection() {
      return rejected.stream().findFirst();
    }
  }

  private String reason(VariantResult chosen, VariantResult baseline, double drop) {
    if (chosen.name().equals(Variant.BASELINE)) {
      return String.format(
          "the fp32 baseline is the fastest variant within %.2f points of its own accuracy (%.2f%%)",
          tolerancePoints, baseline.testAccuracy() * 100);
    }
    return String.format(
        "%s is the fastest variant within %.2f points of the fp32 baseline: %.0f images/s "
            + "(%.2fx the baseline's %.0f), test accuracy %.2f%% against %.2f%% (%+.2f points)",
        chosen.name(),
        tolerancePoints,
        chosen.imagesPerSecond(),
        chosen.imagesPerSecond() / baseline.imagesPerSecond(),
        baseline.imagesPerSecond(),
        chosen.testAccuracy() * 100,
        baseline.testAccuracy() * 100,
        -drop);
  }

  private static double drop(VariantResult baseline, VariantResult candidate) {
    return (baseline.testAccuracy() - candidate.testAccuracy()) * 100;
  }
}
