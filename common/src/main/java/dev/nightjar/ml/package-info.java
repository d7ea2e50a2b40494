/**
 * A trained Nightjar model where users work: {@link dev.nightjar.ml.NightjarModel}, a Spark ML
 * {@code Model} to use in any Spark job, notebook or {@code Pipeline}, and
 * {@link dev.nightjar.ml.NightjarFunctions}, which registers it as a SQL function. Both score as the
 * infer stage does: inputs decoded by the same rules, one model per executor JVM, ONNX Runtime for
 * the optimize stage's serving model.
 */
package dev.nightjar.ml;
