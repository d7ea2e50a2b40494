/**
 * Running the stages as a nightly pipeline: stage markers and the runs table, the lock, build
 * provenance.
 */
package dev.nightjar.run;
