package dev.nightjar.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitPlanTest {
  private static byte[] labels(int n, long seed) {
    byte[] labels = new byte[n];
    Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) random.nextInt(10);
    }
    return labels;
  }

  private static List<Integer> validation(SplitPlan plan) {
    return IntStream.range(0, plan.records()).filter(plan::isValidation).boxed().toList();
  }

  @Test
  void sameInputsGiveTheSameSplit() {
    byte[] labels = labels(5000, 1);
    assertThat(validation(SplitPlan.stratified(labels, 10, 0.1, 42)))
        .isEqualTo(validation(SplitPlan.stratified(labels.clone(), 10, 0.1, 42)));
  }

  @Test
  void anotherSeedGivesAnotherSplit() {
    byte[] labels = labels(5000, 1);
    assertThat(validation(SplitPlan.stratified(labels, 10, 0.1, 42)))
        .isNotEqualTo(validation(SplitPlan.stratified(labels, 10, 0.1, 43)));
  }

  @Test
  void everyClassGivesItsShare() {
    byte[] labels = labels(5000, 2);
    SplitPlan plan = SplitPlan.stratified(labels, 10, 0.2, 7);
    for (int c = 0; c < 10; c++) {
      int label = c;
      long inClass = IntStream.range(0, labels.length).filter(i -> labels[i] == label).count();
      long inValidation =
          IntStream.range(0, labels.length)
              .filter(i -> labels[i] == label && plan.isValidation(i))
              .count();
      assertThat(inValidation).isEqualTo(Math.round(inClass * 0.2));
    }
  }

  @Test
  void zeroFractionKeepsEverythingForTraining() {
    assertThat(SplitPlan.stratified(labels(100, 3), 10, 0.0, 1).validationCount()).isZero();
  }
}
