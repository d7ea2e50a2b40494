/** The run report of a night: Markdown with PNG plots, written beside the outputs it describes. */
package dev.nightjar.jobs.report;
