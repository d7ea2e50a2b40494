package dev.nightjar.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainingStateTest {
  private static EpochReport epoch(int n, double validation) {
    return new EpochReport(n, 0.5, validation, validation - 0.01, 10, 100, 1_000, 1);
  }

  @Test
  void keepsTheBestEpochAndCountsEpochsSinceIt() {
    TrainingState state =
        TrainingState.start("run", "fashion-cnn", 1)
            .after(epoch(1, 0.80))
            .after(epoch(2, 0.85))
            .after(epoch(3, 0.84))
            .after(epoch(4, 0.85));
    assertThat(state.completedEpochs()).isEqualTo(4);
    assertThat(state.bestEpoch()).as("a tie does not replace the best").isEqualTo(2);
    assertThat(state.epochsSinceBest()).isEqualTo(2);
    assertThat(state.best().validationAccuracy()).isEqualTo(0.85);
  }

  @Test
  void withoutValidationTheTestAccuracySelects() {
    TrainingState state =
        TrainingState.start("run", "lenet", 1)
            .after(new EpochReport(1, 0.5, Double.NaN, 0.7, 1, 1, 1, 1))
            .after(new EpochReport(2, 0.4, Double.NaN, 0.6, 1, 1, 1, 1));
    assertThat(state.bestEpoch()).isEqualTo(1);
  }
}
