/**
 * Spark plumbing shared by the stages: named job groups, progress logging, and writes that say
 * which path a file system refused and why.
 */
package dev.nightjar.spark;
