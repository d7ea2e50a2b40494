package dev.nightjar.run;

/** A pipeline stage failed for good; the message names the stage, the cause says why. */
public final class StageFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String stage;

  public StageFailedException(String stage, int attempts, Throwable cause) {
    super(
        "stage "
            + stage
            + " failed after "
            + attempts
            + (attempts == 1 ? " attempt: " : " attempts: ")
            + firstLine(cause),
        cause);
    this.stage = stage;
  }

  public String stage() {
    return stage;
  }

  private static String firstLine(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getName() : message.lines().findFirst().orElse("");
  }
}
