package dev.nightjar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void exponentialMultipliesByTheDecayAfterEveryEpoch() {
    assertThat(LearningRateSchedule.EXPONENTIAL.factor(1, 8, 0.5)).isEqualTo(1.0);
    assertThat(LearningRateSchedule.EXPONENTIAL.factor(3, 8, 0.5)).isEqualTo(0.25);
    // The length does not matter to it.
    assertThat(LearningRateSchedule.EXPONENTIAL.factor(3, 3, 0.5)).isEqualTo(0.25);
  }

  @Test
  void cosineStartsAtTheBaseRateAndFallsTowardZeroWithoutReachingIt() {
    double[] factors = new double[5];
    for (int epoch = 1; epoch <= 5; epoch++) {
      factors[epoch - 1] = LearningRateSchedule.COSINE.factor(epoch, 5, 0.5);
    }
    assertThat(factors)
        .containsExactly(new double[] {1.0, 0.905, 0.655, 0.345, 0.095}, within(1e-3));
    assertThat(LearningRateSchedule.COSINE.factor(1, 1, 0.5)).isEqualTo(1.0);
  }

  @Test
  void cosinePastItsLengthStaysPositive() {
    // An epoch beyond the configured ones (a resumed run given fewer epochs) keeps a usable rate.
    assertThat(LearningRateSchedule.COSINE.factor(7, 5, 0.5)).isPositive();
  }

  @Test
  void trainingAndFineTuningScheduleOverTheirOwnLengths() {
    TrainConfig train =
        TrainConfig.builder()
            .epochs(5)
            .learningRate(0.004)
            .learningRateSchedule(LearningRateSchedule.COSINE)
            .build();
    assertThat(train.learningRate(5)).isCloseTo(0.004 * 0.0955, within(1e-5));
    assertThat(train.scheduled(0.002, 2, 2)).isCloseTo(0.001, within(1e-9));
  }

  @Test
  void anUnknownScheduleNamesTheKeyAndTheChoices() {
    assertThatThrownBy(
            () -> LearningRateSchedule.parse("linear", ConfigKeys.TRAIN_LEARNING_RATE_SCHEDULE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ConfigKeys.TRAIN_LEARNING_RATE_SCHEDULE)
        .hasMessageContaining("[exponential, cosine]");
  }
}
