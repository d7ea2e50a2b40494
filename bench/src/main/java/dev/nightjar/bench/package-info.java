/**
 * Benchmarks that print figures (never timed tests): {@code submit/bench.sh load}.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.bench;
