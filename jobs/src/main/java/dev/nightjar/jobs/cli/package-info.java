/**
 * What every job shares: the common options, session building, error-to-exit-code mapping and the
 * summary table.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.jobs.cli;
