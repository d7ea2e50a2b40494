package dev.nightjar.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.model.ServingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingSelectorTest {
  private static VariantResult variant(
      String name, String engine, double accuracy, double imagesPerSecond) {
    return new VariantResult(
        name, "m", "fp32", engine, name + ".onnx", 1, 1, 1, accuracy, 1, 1, imagesPerSecond, "");
  }

  private static final VariantResult BASELINE = variant("fp32", "onnxruntime", 0.900, 10_000);
  private static final VariantResult BASELINE_DL4J = variant("fp32", "dl4j", 0.900, 900);

  @Test
  void servesTheFastestVariantWithinTheTolerance() {
    ServingSelector.Choice choice =
        new ServingSelector("onnxruntime", 1.0)
            .choose(
                List.of(
                    BASELINE,
                    BASELINE_DL4J,
                    variant("int8", "onnxruntime", 0.895, 30_000),
                    variant("fp16", "onnxruntime", 0.900, 10_500),
                    variant("pruned", "dl4j", 0.905, 99_000)));
    assertThat(choice.chosen().name()).isEqualTo("int8");
    assertThat(choice.reason()).contains("int8", "3.00x", "-0.50 points");
    assertThat(choice.rejected()).isEmpty();
  }

  @Test
  void refusesAFasterVariantThatLostAccuracyAndSaysWhy() {
    ServingSelector.Choice choice =
        new ServingSelector("onnxruntime", 1.0)
            .choose(
                List.of(
                    BASELINE,
                    variant("filter-pruned-int8", "onnxruntime", 0.880, 50_000),
                    variant("int8", "onnxruntime", 0.8895, 30_000),
                    variant("distilled", "onnxruntime", 0.898, 20_000)));
    assertThat(choice.chosen().name()).isEqualTo("distilled");
    assertThat(choice.rejected()).hasSize(2);
    assertThat(choice.rejected().get(0))
        .contains("filter-pruned-int8", "2.00 points below", "tolerance 1.00");
    assertThat(choice.rejected().get(1)).contains("int8", "1.05 points below");
  }

  @Test
  void fallsBackToTheBaselineWhenEveryFasterVariantLostTooMuch() {
    ServingSelector.Choice choice =
        new ServingSelector("onnxruntime", 0.1)
            .choose(List.of(BASELINE, variant("int8", "onnxruntime", 0.895, 30_000)));
    assertThat(choice.chosen()).isSameAs(BASELINE);
    assertThat(choice.reason()).contains("baseline");
    assertThat(choice.firstRejection())
        .hasValueSatisfying(r -> assertThat(r).contains("int8", "0.50 points below"));
  }

  @Test
  void untrainedArchitecturesAreNeverServed() {
    ServingSelector.Choice choice =
        new ServingSelector("onnxruntime", 1.0)
            .choose(List.of(BASELINE, variant("arch-lenet", "onnxruntime", Double.NaN, 80_000)));
    assertThat(choice.chosen()).isSameAs(BASELINE);
  }

  @Test
  void needsTheBaselineOnTheServingEngine() {
    assertThatThrownBy(() -> new ServingSelector("onnxruntime", 1.0).choose(List.of(BASELINE_DL4J)))
        .hasMessageContaining("no fp32 baseline measured on onnxruntime");
  }

  @Test
  void theDecisionKnowsWhetherItIsWithinATolerance() {
    ServingDecision decision =
        new ServingDecision(
            "int8",
            "onnxruntime",
            "f",
            "sha",
            "v",
            0.885,
            0.900,
            1.0,
            3,
            1,
            new int[] {1, 28, 28},
            10,
            "r",
            List.of(),
            null,
            null,
            null,
            null);
    assertThat(decision.dropPoints()).isCloseTo(1.5, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(decision.withinTolerance(1.0)).isFalse();
    assertThat(decision.withinTolerance(2.0)).isTrue();
  }
}
