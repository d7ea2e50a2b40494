package dev.nightjar.stage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The optimize stage's shape, scripted: five quick builders, then two that train for minutes. */
class EtaTest {
  @Test
  void countsUntimedEpochsInsteadOfGuessingThemFromQuickSteps() {
    Eta eta = new Eta(7, 6);
    assertThat(eta.describe()).isEqualTo("7 steps and 6 training epochs left, not timed yet");
    for (int step = 0; step < 5; step++) {
      eta.stepDone(2.0);
    }
    // An average over the quick steps alone would say "about 4 s left".
    assertThat(eta.secondsLeft()).isNaN();
    assertThat(eta.describe()).isEqualTo("about 4 s left, plus 6 training epochs not timed yet");

    eta.epochDone(60.0);
    assertThat(eta.secondsLeft()).isEqualTo(2 * 2.0 + 5 * 60.0);
    assertThat(eta.describe()).isEqualTo("about 304 s left");
  }

  @Test
  void learnsEachKindsRateFromWhatWasDone() {
    Eta eta = new Eta(2, 4);
    eta.epochDone(30.0);
    eta.epochDone(50.0);
    eta.stepDone(10.0);
    assertThat(eta.secondsLeft()).isEqualTo(10.0 + 2 * 40.0);
    eta.epochDone(40.0);
    eta.epochDone(40.0);
    eta.stepDone(12.0);
    assertThat(eta.secondsLeft()).isZero();
    assertThat(eta.describe()).isEqualTo("about 0 s left");
    assertThat(eta.epochSeconds()).isEqualTo(160.0);
  }

  @Test
  void moreWorkThanPlannedNeverGivesANegativeTime() {
    Eta eta = new Eta(1, 0);
    eta.stepDone(1.0);
    eta.stepDone(1.0);
    eta.epochDone(5.0);
    assertThat(eta.secondsLeft()).isZero();
  }
}
