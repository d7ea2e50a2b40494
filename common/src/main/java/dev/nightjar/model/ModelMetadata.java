package dev.nightjar.model;

import java.util.List;
import java.util.Map;

/**
 * What a trained model is and how it was made, saved as {@code model.json} beside {@code
 * model.zip}.
 *
 * @param version identifies the model in predictions: the training run id and a hash of the zip
 * @param sha256 of {@code model.zip}
 * @param dataManifestId the prepared data set it was trained on
 * @param config the effective {@code nightjar} configuration of the training run
 */
public record ModelMetadata(
    String version,
    String architecture,
    String sha256,
    String runId,
    String createdAt,
    long parameterCount,
    double testAccuracy,
    double validationAccuracy,
    int bestEpoch,
    int epochs,
    String dataManifestId,
    int[] inputShape,
    List<String> classNames,
    Map<String, Object> config) {}
