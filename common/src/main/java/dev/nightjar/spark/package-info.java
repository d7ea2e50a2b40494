/** Spark plumbing shared by the stages: named job groups and progress logging. */
package dev.nightjar.spark;
