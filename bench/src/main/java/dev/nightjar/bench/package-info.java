/** Benchmarks that print figures (never timed tests): {@code submit/bench.sh load}. */
package dev.nightjar.bench;
