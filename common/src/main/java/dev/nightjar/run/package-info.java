/**
 * Running the stages as a nightly pipeline: stage markers and the runs table, the lock, build
 * provenance.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.run;
