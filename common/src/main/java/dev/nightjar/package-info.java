/**
 * The front door: {@link dev.nightjar.Nightjar} makes each stage's action from a run's settings and
 * runs the stages in order.
 *
 * <p>Public API: {@link dev.nightjar.Nightjar#run} and the actions {@link
 * dev.nightjar.Nightjar#prepare}, {@code train}, {@code optimize} and {@code infer} return, to
 * {@code execute()}. The rest of the package is internal: no compatibility promise
 * (docs/library.md).
 */
package dev.nightjar;
