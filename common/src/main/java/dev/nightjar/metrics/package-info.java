/**
 * The {@code metrics} table: one row per figure a stage reports, queryable from notebooks.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.metrics;
