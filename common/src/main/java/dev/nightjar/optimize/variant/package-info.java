/**
 * The kinds of model variant the optimize stage builds (quantized, pruned, distilled, other
 * architectures) and the files they are written as.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.optimize.variant;
