/**
 * The infer stage: one model per executor JVM, streamed over partitions in batches, written as the
 * predictions table.
 */
package dev.nightjar.infer;
