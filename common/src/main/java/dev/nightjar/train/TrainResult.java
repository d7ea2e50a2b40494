package dev.nightjar.train;

import dev.nightjar.model.ModelMetadata;
import java.util.List;

/**
 * What a training run committed: the best epoch's model and every epoch's figures.
 *
 * @param modelDir the committed model folder
 * @param imagesPerSecond training examples per second of fitting, over all epochs
 */
public record TrainResult(String modelDir, ModelMetadata model, List<EpochReport> epochs,
    double seconds, double imagesPerSecond) {}
