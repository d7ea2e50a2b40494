package dev.nightjar.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

/** Counts how many predictions match the infer stage's, and prints the figure for the record. */
final class Agreement {
  private final String what;
  private final Map<String, ServedNight.Prediction> expected;
  private int compared;
  private int agreed;

  Agreement(String what, Map<String, ServedNight.Prediction> expected) {
    this.what = what;
    this.expected = expected;
  }

  /**
   * @param probability the probability of {@code label}, or NaN when there is none to compare
   */
  void add(String id, int label, double probability) {
    ServedNight.Prediction reference = expected.get(id);
    assertThat(reference).as("the infer stage's prediction for %s", id).isNotNull();
    compared++;
    if (reference.label() == label) {
      agreed++;
      if (!Double.isNaN(probability)) {
        assertThat(probability)
            .as("probability of %s", id)
            .isCloseTo(reference.probability(), within(1e-5));
      }
    }
  }

  /** Prints and checks the agreement: every prediction matches. */
  void assertAll(int inputs) {
    System.out.printf(
        "AGREEMENT %s: %d of %d predictions equal to the infer stage's (%.2f%%)%n",
        what, agreed, compared, 100.0 * agreed / compared);
    assertThat(compared).isEqualTo(inputs);
    assertThat(agreed).isEqualTo(compared);
  }
}
