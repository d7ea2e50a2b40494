package dev.nightjar.io;

import java.util.Map;

/**
 * The published version of a commit unit's outputs for one run date: the pointer a commit writes
 * last. Paths are relative to the output root, so a root copied elsewhere still resolves.
 *
 * @param unit what publishes these outputs together: a stage, a stage's row of the runs table, the
 *     report
 * @param outputs each output's path as readers name it (e.g. {@code
 *     predictions/run_date=2026-01-01}) to the folder holding this version's files
 */
public record CommitRecord(
    String unit,
    String runDate,
    String version,
    String runId,
    String committedAt,
    Map<String, String> outputs) {}
