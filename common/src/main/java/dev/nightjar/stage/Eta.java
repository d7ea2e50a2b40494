package dev.nightjar.stage;

/**
 * Time left in a stage whose work comes in two kinds of very different cost: short steps (say,
 * exporting and measuring a variant) and training epochs. Each kind's rate is learnt from the ones
 * done; until a kind has been timed, what is left of it is counted, not guessed.
 */
public final class Eta {
  private final int steps;
  private final int epochs;
  private int stepsDone;
  private int epochsDone;
  private double stepSeconds;
  private double epochSeconds;

  /**
   * @param steps how many steps the stage takes
   * @param epochs how many training epochs those steps run in all
   */
  public Eta(int steps, int epochs) {
    this.steps = steps;
    this.epochs = epochs;
  }

  /** A step finished in {@code seconds}, not counting the epochs it trained. */
  public void stepDone(double seconds) {
    stepsDone++;
    stepSeconds += seconds;
  }

  public void epochDone(double seconds) {
    epochsDone++;
    epochSeconds += seconds;
  }

  /** The time spent in epochs so far. */
  public double epochSeconds() {
    return epochSeconds;
  }

  /** Seconds left, or NaN while some of the work left is of a kind not timed yet. */
  public double secondsLeft() {
    double left = 0;
    int stepsLeft = Math.max(0, steps - stepsDone);
    int epochsLeft = Math.max(0, epochs - epochsDone);
    if (stepsLeft > 0) {
      left += stepsDone == 0 ? Double.NaN : stepSeconds / stepsDone * stepsLeft;
    }
    if (epochsLeft > 0) {
      left += epochsDone == 0 ? Double.NaN : epochSeconds / epochsDone * epochsLeft;
    }
    return left;
  }

  /** For a progress line: "about 95 s left", or what is known and what is not timed yet. */
  public String describe() {
    int stepsLeft = Math.max(0, steps - stepsDone);
    int epochsLeft = Math.max(0, epochs - epochsDone);
    if (!Double.isNaN(secondsLeft())) {
      return String.format("about %.0f s left", secondsLeft());
    }
    if (stepsLeft > 0 && stepsDone == 0) {
      return String.format(
          "%d steps and %d training epochs left, not timed yet", stepsLeft, epochsLeft);
    }
    double known = stepsDone == 0 ? 0 : stepSeconds / stepsDone * stepsLeft;
    return String.format(
        "about %.0f s left, plus %d training epochs not timed yet", known, epochsLeft);
  }
}
