package dev.nightjar.source;

import java.util.List;

/**
 * A source's plan: its partitions, and what every example of it looks like.
 *
 * @param imageShape channels, height and width of every decoded example
 * @param uris the inputs, for the manifest
 */
record SourcePlan(
    List<PartitionReader> partitions,
    int[] imageShape,
    List<String> classNames,
    List<String> uris) {}
