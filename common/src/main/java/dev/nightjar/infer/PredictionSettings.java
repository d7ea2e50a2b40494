package dev.nightjar.infer;

import java.io.Serializable;

/**
 * What every inference task needs besides the model: the batch size, the image shape, how many
 * ranked classes to keep, and what to stamp on each row.
 *
 * @param source where the inputs came from, written on every row
 * @param topK how many most probable classes to list per row; 0 lists none
 */
record PredictionSettings(
    int batchSize, int[] imageShape, int topK, String source, String modelVersion, String runId)
    implements Serializable {}
