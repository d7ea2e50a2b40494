package dev.nightjar.run;

import java.util.Map;

/**
 * One attempt at a stage for a run date: kept as a marker (when it succeeded) and as a row of the
 * {@code runs} table.
 *
 * @param status {@code ok} or {@code failed}
 * @param metrics the stage's key figures, e.g. {@code test_accuracy}
 * @param configHash the settings hash: every {@code nightjar} key but the run's own
 * @param inputs what the stage read, by content: e.g. {@code prepared} (the manifest id) and {@code
 *     model} (the trained model's SHA-256); kept in the marker only
 * @param message empty on success, the failure's one-line cause otherwise
 */
public record StageRecord(
    String runId,
    String runDate,
    String stage,
    String status,
    String start,
    String end,
    double seconds,
    Map<String, Double> metrics,
    String configHash,
    Map<String, String> inputs,
    String gitRevision,
    String message) {

  public static final String OK = "ok";
  public static final String FAILED = "failed";

  public StageRecord {
    // A marker written before markers named their inputs has none: it matches no stage that reads
    // any.
    inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
  }

  public boolean succeeded() {
    return OK.equals(status);
  }
}
