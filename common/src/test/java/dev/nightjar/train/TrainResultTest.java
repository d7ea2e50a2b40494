package dev.nightjar.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainResultTest {
  private static EpochReport epoch(int n, double testAccuracy) {
    return new EpochReport(n, 0.3, Double.NaN, testAccuracy, 100, 600, 60_000, 8);
  }

  private static TrainResult result(EpochReport... epochs) {
    return new TrainResult("models", null, List.of(epochs), 1_000, 600);
  }

  @Test
  void timeToQualityCountsFittingAndEvaluatingThroughTheFirstEpochAtTheTarget() {
    TrainResult run = result(epoch(1, 0.88), epoch(2, 0.905), epoch(3, 0.912), epoch(4, 0.909));
    assertThat(run.secondsToTestAccuracy(0.91)).hasValue(324.0);
    assertThat(run.secondsToTestAccuracy(0.88)).hasValue(108.0);
  }

  @Test
  void aRunThatNeverReachesTheTargetHasNoTime() {
    assertThat(result(epoch(1, 0.88), epoch(2, 0.905)).secondsToTestAccuracy(0.91)).isEmpty();
  }
}
