/** The {@code metrics} table: one row per figure a stage reports, queryable from notebooks. */
package dev.nightjar.metrics;
