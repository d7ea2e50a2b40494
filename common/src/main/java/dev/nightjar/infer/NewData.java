package dev.nightjar.infer;

import dev.nightjar.config.DataConfig;
import dev.nightjar.config.InferConfig;
import dev.nightjar.config.PrepareConfig;

/**
 * New data for the infer stage to score instead of a prepared split: {@code infer.input} in {@code
 * infer.input-format}, decoded by the rules the training data was prepared with.
 *
 * @param data the source settings the input's format needs (columns, class names)
 * @param decoding image shape, pixel limits and partitions, as the prepare stage applies them
 */
public record NewData(DataConfig data, PrepareConfig decoding, InferConfig infer)
    implements InferInput {}
