/**
 * What the optimize stage measures of a variant: accuracy on the evaluation images, latency and
 * throughput on an engine, parameters and multiply-accumulates.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.optimize.measure;
