/**
 * What every job shares: the common options, session building, error-to-exit-code mapping and the
 * summary table.
 */
package dev.nightjar.jobs.cli;
