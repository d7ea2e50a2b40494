/**
 * The infer stage: one model per executor JVM, streamed over partitions in batches, written as the
 * predictions table.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.infer;
