/**
 * Spark plumbing shared by the stages: named job groups, progress logging, and writes that say
 * which path a file system refused and why.
 *
 * <p>Public API: {@link dev.nightjar.spark.SessionSettings#apply}. The rest of the package is
 * internal: no compatibility promise (docs/library.md).
 */
package dev.nightjar.spark;
