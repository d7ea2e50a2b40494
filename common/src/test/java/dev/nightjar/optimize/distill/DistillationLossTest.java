package dev.nightjar.optimize.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

class DistillationLossTest {
  private static final int N = 6;
  private static final int C = 5;
  private static final IActivation SOFTMAX = new ActivationSoftmax();

  private DataType previousDefault;
  private DataType previousFloating;

  @BeforeEach
  void doublePrecision() {
    previousDefault = Nd4j.dataType();
    previousFloating = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterEach
  void restorePrecision() {
    Nd4j.setDefaultDataTypes(previousDefault, previousFloating);
  }

  @ParameterizedTest(name = "T={0}, alpha={1}")
  @CsvSource({"1, 0", "1, 0.5", "1, 1", "4, 0", "4, 0.5", "4, 1"})
  void analyticGradientMatchesCentralDifferences(double temperature, double alpha) {
    Random random = new Random(7);
    INDArray preOutput = randomLogits(random, 2.0);
    INDArray labels = DistillationLabels.combine(oneHot(random), randomLogits(random, 4.0));
    DistillationLoss loss = new DistillationLoss(temperature, alpha);

    INDArray analytic = loss.computeGradient(labels, preOutput, SOFTMAX, null);
    INDArray numeric = numericGradient(loss, labels, preOutput, null);

    assertThat(analytic.shape()).containsExactly(N, C);
    double scale = Math.max(1e-3, numeric.norm2Number().doubleValue());
    assertThat(analytic.sub(numeric).norm2Number().doubleValue() / scale).isLessThan(1e-7);
    // The pair method agrees with the two separate ones.
    var pair = loss.computeGradientAndScore(labels, preOutput, SOFTMAX, null, true);
    assertThat(pair.getFirst())
        .isCloseTo(loss.computeScore(labels, preOutput, SOFTMAX, null, true), offset(1e-12));
    assertThat(pair.getSecond().equalsWithEps(analytic, 1e-12)).isTrue();
  }

  @Test
  void gradientCheckHoldsWithAPerExampleMaskAndMaskedExamplesCountForNothing() {
    Random random = new Random(11);
    INDArray preOutput = randomLogits(random, 2.0);
    INDArray labels = DistillationLabels.combine(oneHot(random), randomLogits(random, 4.0));
    INDArray mask = Nd4j.createFromArray(1.0, 0.0, 1.0, 1.0, 0.0, 1.0).reshape(N, 1);
    DistillationLoss loss = new DistillationLoss(3, 0.7);

    INDArray analytic = loss.computeGradient(labels, preOutput, SOFTMAX, mask);
    assertThat(
            analytic
                .sub(numericGradient(loss, labels, preOutput, mask))
                .norm2Number()
                .doubleValue())
        .isLessThan(1e-7);
    assertThat(analytic.getRow(1).norm2Number().doubleValue()).isZero();
    INDArray perExample = loss.computeScoreArray(labels, preOutput, SOFTMAX, mask);
    assertThat(perExample.shape()).containsExactly(N, 1);
    assertThat(perExample.getDouble(4, 0)).isZero();
    assertThat(perExample.getDouble(0, 0)).isPositive();
  }

  @Test
  void alphaZeroIsPlainCrossEntropyOnSoftmax() {
    Random random = new Random(3);
    INDArray preOutput = randomLogits(random, 2.0);
    INDArray oneHot = oneHot(random);
    INDArray labels = DistillationLabels.combine(oneHot, randomLogits(random, 4.0));
    DistillationLoss loss = new DistillationLoss(4, 0);
    LossMCXENT mcxent = new LossMCXENT();

    assertThat(loss.computeScore(labels, preOutput, SOFTMAX, null, true))
        .isCloseTo(mcxent.computeScore(oneHot, preOutput, SOFTMAX, null, true), offset(1e-9));
    assertThat(
            loss.computeScoreArray(labels, preOutput, SOFTMAX, null)
                .equalsWithEps(mcxent.computeScoreArray(oneHot, preOutput, SOFTMAX, null), 1e-9))
        .isTrue();
    assertThat(
            loss.computeGradient(labels, preOutput, SOFTMAX, null)
                .equalsWithEps(mcxent.computeGradient(oneHot, preOutput, SOFTMAX, null), 1e-12))
        .isTrue();
  }

  @Test
  void softTermIsTSquaredTimesTheKlDivergenceOfTheTemperedSoftmaxes() {
    INDArray student = Nd4j.createFromArray(new double[][] {{1.0, 2.0, 0.5}});
    INDArray teacher = Nd4j.createFromArray(new double[][] {{3.0, 0.0, -1.0}});
    INDArray labels =
        DistillationLabels.combine(Nd4j.createFromArray(new double[][] {{0, 1, 0}}), teacher);
    double t = 2.5;
    double[] ps = softmax(student.toDoubleVector(), t);
    double[] pt = softmax(teacher.toDoubleVector(), t);
    double kl = 0;
    for (int c = 0; c < 3; c++) {
      kl += pt[c] * Math.log(pt[c] / ps[c]);
    }
    double hard = -Math.log(softmax(student.toDoubleVector(), 1)[1]);

    assertThat(new DistillationLoss(t, 1).computeScore(labels, student, SOFTMAX, null, true))
        .isCloseTo(t * t * kl, offset(1e-12));
    assertThat(new DistillationLoss(t, 0.25).computeScore(labels, student, SOFTMAX, null, true))
        .isCloseTo(0.25 * t * t * kl + 0.75 * hard, offset(1e-12));
    // With the student's logits equal to the teacher's, the pure soft loss and its gradient vanish.
    INDArray same =
        DistillationLabels.combine(Nd4j.createFromArray(new double[][] {{0, 1, 0}}), student);
    assertThat(new DistillationLoss(t, 1).computeScore(same, student, SOFTMAX, null, true))
        .isCloseTo(0.0, offset(1e-12));
    assertThat(
            new DistillationLoss(t, 1)
                .computeGradient(same, student, SOFTMAX, null)
                .norm2Number()
                .doubleValue())
        .isLessThan(1e-12);
  }

  @Test
  void staysFiniteForVeryConfidentLogits() {
    INDArray student = Nd4j.createFromArray(new float[][] {{500f, -500f, 0f}});
    INDArray labels =
        DistillationLabels.combine(
            Nd4j.createFromArray(new float[][] {{0, 1, 0}}),
            Nd4j.createFromArray(new float[][] {{-400f, 600f, 0f}}));
    DistillationLoss loss = new DistillationLoss(2, 0.5);
    assertThat(loss.computeScore(labels, student, SOFTMAX, null, false)).isFinite();
    assertThat(
            java.util.Arrays.stream(
                    loss.computeGradient(labels, student, SOFTMAX, null).toDoubleVector())
                .allMatch(Double::isFinite))
        .isTrue();
  }

  @Test
  void identityActivationTrainsTheSameAsSoftmax() {
    Random random = new Random(5);
    INDArray preOutput = randomLogits(random, 2.0);
    INDArray labels = DistillationLabels.combine(oneHot(random), randomLogits(random, 4.0));
    DistillationLoss loss = new DistillationLoss(2, 0.5);
    assertThat(loss.computeGradient(labels, preOutput, new ActivationIdentity(), null))
        .isEqualTo(loss.computeGradient(labels, preOutput, SOFTMAX, null));
  }

  @Test
  void rejectsLabelsThatAreNotTwiceTheOutputWidth() {
    Random random = new Random(1);
    INDArray preOutput = randomLogits(random, 1.0);
    DistillationLoss loss = new DistillationLoss(2, 0.5);
    assertThatThrownBy(() -> loss.computeGradient(oneHot(random), preOutput, SOFTMAX, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels of shape [N, 2C] = [6, 10]")
        .hasMessageContaining("got labels [6, 5]");
    assertThatThrownBy(
            () -> loss.computeScore(Nd4j.zeros(N, 2 * C + 1), preOutput, SOFTMAX, null, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[N, 2C]");
  }

  @Test
  void rejectsPerOutputMasksAndOtherActivations() {
    Random random = new Random(2);
    INDArray preOutput = randomLogits(random, 1.0);
    INDArray labels = DistillationLabels.combine(oneHot(random), randomLogits(random, 1.0));
    DistillationLoss loss = new DistillationLoss(2, 0.5);
    assertThatThrownBy(() -> loss.computeGradient(labels, preOutput, SOFTMAX, Nd4j.ones(N, C)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("per-example masks of shape [N, 1]");
    assertThatThrownBy(() -> loss.computeScore(labels, preOutput, new ActivationReLU(), null, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SOFTMAX");
  }

  @Test
  void rejectsBadParameters() {
    assertThatThrownBy(() -> new DistillationLoss(0, 0.5)).hasMessageContaining("temperature");
    assertThatThrownBy(() -> new DistillationLoss(Double.NaN, 0.5))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> new DistillationLoss(2, 1.5)).hasMessageContaining("alpha");
  }

  private static INDArray numericGradient(
      DistillationLoss loss, INDArray labels, INDArray preOutput, INDArray mask) {
    double eps = 1e-6;
    INDArray numeric = Nd4j.zeros(DataType.DOUBLE, N, C);
    for (int i = 0; i < N; i++) {
      for (int c = 0; c < C; c++) {
        INDArray plus = preOutput.dup();
        plus.putScalar(i, c, preOutput.getDouble(i, c) + eps);
        INDArray minus = preOutput.dup();
        minus.putScalar(i, c, preOutput.getDouble(i, c) - eps);
        // Unaveraged score: DL4J's losses return the per-example (summed) gradient.
        double difference =
            loss.computeScore(labels, plus, SOFTMAX, mask, false)
                - loss.computeScore(labels, minus, SOFTMAX, mask, false);
        numeric.putScalar(i, c, difference / (2 * eps));
      }
    }
    return numeric;
  }

  private static INDArray randomLogits(Random random, double scale) {
    double[][] values = new double[N][C];
    for (double[] row : values) {
      for (int c = 0; c < C; c++) {
        row[c] = scale * random.nextGaussian();
      }
    }
    return Nd4j.createFromArray(values);
  }

  private static INDArray oneHot(Random random) {
    double[][] values = new double[N][C];
    for (double[] row : values) {
      row[random.nextInt(C)] = 1;
    }
    return Nd4j.createFromArray(values);
  }

  private static double[] softmax(double[] logits, double temperature) {
    double max = java.util.Arrays.stream(logits).max().orElseThrow();
    double[] exp =
        java.util.Arrays.stream(logits).map(z -> Math.exp((z - max) / temperature)).toArray();
    double sum = java.util.Arrays.stream(exp).sum();
    return java.util.Arrays.stream(exp).map(e -> e / sum).toArray();
  }
}
