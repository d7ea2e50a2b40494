package dev.nightjar.optimize.distill;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Hinton et al.'s knowledge-distillation loss for a DL4J output layer:
 *
 * <pre>
 *   L = alpha · T² · KL(softmax(z_t / T) ‖ softmax(z_s / T)) + (1 − alpha) · CE(y, softmax(z_s))
 * </pre>
 *
 * where z_s are the student's logits, z_t the teacher's, y the one-hot true label and T the
 * temperature. The T² factor keeps the soft term's gradient, which scales as 1/T, comparable to the
 * hard term's as T changes.
 *
 * <p><b>Labels</b> are {@code [N, 2C]} for an output layer of {@code nOut = C}: columns {@code
 * 0..C-1} hold the one-hot true label, columns {@code C..2C-1} the teacher's logits (see {@link
 * DistillationLabels}). Any other width is rejected.
 *
 * <p><b>Activation.</b> The layer should use {@code SOFTMAX}, so that the trained student's {@code
 * output()} returns class probabilities as every other zoo model does. DL4J's {@code
 * BaseOutputLayer} (1.0.0-M2.1) hands the loss the layer's pre-activation output {@code W·x + b} in
 * {@code computeScore}, {@code computeScoreArray} and {@code computeGradient}, whatever the
 * activation; so {@code preOutput} <em>is</em> the student's logits, and this loss applies its own
 * (tempered) softmax to it and ignores {@code activationFn}. {@code IDENTITY} gives the same
 * training (same logits reach the loss) but makes {@code output()} return logits; any other
 * activation is rejected, since the network's output would then not be the softmax of the logits
 * this loss trains.
 *
 * <p><b>Gradient</b> with respect to preOutput, per example (not averaged: DL4J divides by the
 * minibatch size itself, as for its own losses): {@code alpha · T · (softmax(z_s/T) −
 * softmax(z_t/T)) + (1 − alpha) · (softmax(z_s) − y)}.
 *
 * <p><b>Masks:</b> a per-example mask (column vector {@code [N, 1]}) scales each example's score
 * and gradient; per-output masks are rejected, as softmax couples the outputs (DL4J's own MCXENT +
 * softmax rejects them too).
 *
 * <p>Serialises to JSON the way DL4J's losses do (class name in {@code @class}, then its two
 * properties), so configurations using it survive {@code toJson}/{@code fromJson} and {@code
 * ModelSerializer}.
 */
public final class DistillationLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;

  @JsonProperty("temperature")
  private final double temperature;

  @JsonProperty("alpha")
  private final double alpha;

  /**
   * @param temperature softening temperature T, &gt; 0 (1 = the teacher's own probabilities)
   * @param alpha weight of the soft (teacher) term in [0, 1]; 0 is plain cross-entropy on the true
   *     labels, 1 is pure distillation
   */
  @JsonCreator
  public DistillationLoss(
      @JsonProperty("temperature") double temperature, @JsonProperty("alpha") double alpha) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "distillation temperature must be a finite number > 0, got " + temperature);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("distillation alpha must be in [0, 1], got " + alpha);
    }
    this.temperature = temperature;
    this.alpha = alpha;
  }

  public double getTemperature() {
    return temperature;
  }

  public double getAlpha() {
    return alpha;
  }

  @Override
  public double computeScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    INDArray perExample = computeScoreArray(labels, preOutput, activationFn, mask);
    double score = perExample.sumNumber().doubleValue();
    return average ? score / perExample.size(0) : score;
  }

  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    Parts parts = split(labels, preOutput, activationFn, mask);
    INDArray logits = preOutput;
    // Hard term: -sum_c y_c log softmax(z_s)_c.
    INDArray score = logSoftmax(logits).muli(parts.trueLabels).sum(true, 1).muli(-(1 - alpha));
    if (alpha > 0) {
      // Soft term: T² sum_c p_t (log p_t - log p_s), with log-softmax for both so that nothing
      // underflows to log(0) when the teacher is confident.
      INDArray logTeacher = logSoftmax(parts.teacherLogits.div(temperature));
      INDArray logStudent = logSoftmax(logits.div(temperature));
      INDArray kl = Transforms.exp(logTeacher, true).muli(logTeacher.sub(logStudent)).sum(true, 1);
      score.addi(kl.muli(alpha * temperature * temperature));
    }
    if (parts.mask != null) {
      score.muli(parts.mask);
    }
    return score;
  }

  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    Parts parts = split(labels, preOutput, activationFn, mask);
    // d/dz_s of CE(y, softmax(z_s)) = softmax(z_s) - y (y sums to 1).
    INDArray gradient = softmax(preOutput).subi(parts.trueLabels).muli(1 - alpha);
    if (alpha > 0) {
      // d/dz_s of T² KL(p_t || softmax(z_s/T)) = T² · (1/T) · (p_s - p_t) = T (p_s - p_t).
      INDArray soft =
          softmax(preOutput.div(temperature)).subi(softmax(parts.teacherLogits.div(temperature)));
      gradient.addi(soft.muli(alpha * temperature));
    }
    if (parts.mask != null) {
      gradient.muliColumnVector(parts.mask);
    }
    return gradient;
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    return new Pair<>(
        computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  @Override
  public String name() {
    return toString();
  }

  @Override
  public String toString() {
    return "DistillationLoss(temperature=" + temperature + ", alpha=" + alpha + ")";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DistillationLoss that
        && Double.compare(temperature, that.temperature) == 0
        && Double.compare(alpha, that.alpha) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(temperature) + Double.hashCode(alpha);
  }

  /**
   * The true labels and the teacher's logits (views of the labels) and the mask as a column, in
   * preOutput's type.
   */
  private record Parts(INDArray trueLabels, INDArray teacherLogits, INDArray mask) {}

  private static Parts split(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    if (!(activationFn == null
        || activationFn instanceof ActivationSoftmax
        || activationFn instanceof ActivationIdentity)) {
      throw new IllegalStateException(
          "DistillationLoss needs an output layer with SOFTMAX (or IDENTITY) activation, got "
              + activationFn
              + ": it treats the layer's pre-activation output as the student's logits");
    }
    if (preOutput.rank() != 2 || labels.rank() != 2) {
      throw new IllegalArgumentException(
          "DistillationLoss expects 2-d preOutput [N, C] and labels [N, 2C], got preOutput "
              + Arrays.toString(preOutput.shape())
              + " and labels "
              + Arrays.toString(labels.shape()));
    }
    long classes = preOutput.size(1);
    if (labels.size(1) != 2 * classes || labels.size(0) != preOutput.size(0)) {
      throw new IllegalArgumentException(
          "DistillationLoss expects labels of shape [N, 2C] = ["
              + preOutput.size(0)
              + ", "
              + 2 * classes
              + "] (one-hot true label, then the teacher's logits) for preOutput "
              + Arrays.toString(preOutput.shape())
              + ", got labels "
              + Arrays.toString(labels.shape())
              + "; build them with DistillationLabels");
    }
    if (mask != null
        && !(mask.rank() == 2 && mask.size(0) == preOutput.size(0) && mask.size(1) == 1)
        && !(mask.rank() == 1 && mask.size(0) == preOutput.size(0))) {
      throw new UnsupportedOperationException(
          "DistillationLoss supports per-example masks of shape [N, 1] only, got "
              + Arrays.toString(mask.shape())
              + ": per-output masking does not fit softmax, whose outputs are coupled");
    }
    INDArray typed = labels.castTo(preOutput.dataType());
    return new Parts(
        typed.get(NDArrayIndex.all(), NDArrayIndex.interval(0, classes)),
        typed.get(NDArrayIndex.all(), NDArrayIndex.interval(classes, 2 * classes)),
        mask == null ? null : mask.reshape(mask.size(0), 1).castTo(preOutput.dataType()));
  }

  /** Row-wise softmax of a new array, stable for large logits. */
  static INDArray softmax(INDArray logits) {
    return Transforms.exp(logSoftmax(logits), false);
  }

  /** Row-wise log-softmax into a new array: z - max - log(sum(exp(z - max))). */
  static INDArray logSoftmax(INDArray logits) {
    INDArray shifted = logits.subColumnVector(logits.max(true, 1));
    INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
    return shifted.subiColumnVector(logSumExp);
  }
}
