/**
 * The run report of a night: Markdown with PNG plots, written beside the outputs it describes.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.jobs.report;
