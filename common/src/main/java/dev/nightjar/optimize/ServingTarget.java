package dev.nightjar.optimize;

import dev.nightjar.config.EngineKind;

/**
 * Where the serving model will run, which the variants are measured for: the infer stage's engine,
 * with as many intra-op threads as one of its tasks gets.
 */
public record ServingTarget(EngineKind engine, int threadsPerTask) {}
