package dev.nightjar.io;

import org.apache.hadoop.fs.Path;

/**
 * Asked right before a commit publishes under the output root whether this run may still publish
 * there; it throws when not (the run's lease on the root's lock was lost or taken over), and
 * nothing is published.
 */
@FunctionalInterface
public interface CommitFence {
  /** For programs that hold no lock: every commit may go ahead. */
  CommitFence NONE = target -> {};

  /** Returns when a commit of {@code target} may go ahead; throws otherwise. */
  void check(Path target);
}
