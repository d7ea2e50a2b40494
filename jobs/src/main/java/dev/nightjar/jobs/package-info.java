/**
 * Spark entry points: parse arguments, load config, call one library action, print a summary, exit.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.jobs;
