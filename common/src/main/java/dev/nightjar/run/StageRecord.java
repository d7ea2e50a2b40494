package dev.nightjar.run;

import java.util.Map;

/**
 * One attempt at a stage for a run date: kept as a marker (when it succeeded) and as a row of the
 * {@code runs} table.
 *
 * @param status {@code ok} or {@code failed}
 * @param metrics the stage's key figures, e.g. {@code test_accuracy}
 * @param message empty on success, the failure's one-line cause otherwise
 */
public record StageRecord(String runId, String runDate, String stage, String status, String start, String end,
    double seconds, Map<String, Double> metrics, String configHash, String gitRevision, String message) {

  public static final String OK = "ok";
  public static final String FAILED = "failed";

  public boolean succeeded() {
    return OK.equals(status);
  }
}
