package dev.nightjar.infer;

import java.io.Serializable;

/**
 * The address of a model, which is what closures ship to executors instead of its weights.
 *
 * @param dir the model folder, any Hadoop URI
 * @param sha256 of its {@code model.zip}; the cache key, so a replaced model is never served stale
 */
public record ModelRef(String dir, String sha256, String version) implements Serializable {}
