/**
 * The optimize stage: builds the model variants, measures each on the serving engine, and chooses
 * the serving model within the accuracy tolerance.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.optimize;
