/**
 * Nightjar models where users work: {@link dev.nightjar.ml.NightjarModel}, a Spark ML {@code Model}
 * for any Spark job, notebook or {@code Pipeline}; {@link dev.nightjar.ml.NightjarFunctions}, which
 * registers one as a SQL function; and {@link dev.nightjar.ml.NightjarClassifier}, the {@code
 * Estimator} that trains one with the train stage. Scoring goes the infer stage's way: inputs
 * decoded by the same rules, one model per executor JVM, ONNX Runtime for the optimize stage's
 * serving model.
 *
 * <p>Public API: {@link dev.nightjar.ml.NightjarModel}, {@link dev.nightjar.ml.NightjarFunctions}
 * and {@link dev.nightjar.ml.NightjarClassifier} (docs/library.md); the package's other classes are
 * not public.
 */
package dev.nightjar.ml;
