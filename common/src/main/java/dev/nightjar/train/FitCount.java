package dev.nightjar.train;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The examples one fit covered, from the shards its successful tasks loaded.
 *
 * @param examples the examples of every distinct shard fitted
 * @param shards the distinct shards fitted, by URI
 * @param loads shard loads by successful tasks: more than {@code shards} when Spark recomputed a
 *     finished task (a lost executor's output)
 */
public record FitCount(long examples, Set<String> shards, int loads) {
  public FitCount {
    shards = Set.copyOf(shards);
  }

  /**
   * Fails, naming up to five of them, unless every one of {@code expected} was fitted.
   *
   * @param what the fit, for the message: "epoch 3"
   */
  public void requireAll(List<String> expected, long expectedExamples, String what) {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(shards);
    if (!missing.isEmpty() || examples != expectedExamples) {
      throw new IllegalStateException(
          String.format(
              "%s fitted %d of its %d examples: %d of %d shards were never fitted (%s)",
              what,
              examples,
              expectedExamples,
              missing.size(),
              expected.size(),
              String.join(", ", missing.stream().limit(5).toList())));
    }
  }
}
