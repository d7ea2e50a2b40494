package dev.nightjar.stage;

/**
 * One stage's line in a job's closing summary.
 *
 * @param accuracy test accuracy, or NaN where the stage has none
 * @param output what the stage committed, for a reader to find it
 */
public record SummaryRow(
    Stage stage, double seconds, double imagesPerSecond, double accuracy, String output) {}
