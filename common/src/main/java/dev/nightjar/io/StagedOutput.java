package dev.nightjar.io;

import org.apache.hadoop.fs.Path;

/**
 * One output of a {@link CommitUnit}: a folder of files written in its own version folder, which
 * readers see once the unit commits, if the output was marked {@link #complete()}.
 */
public final class StagedOutput {
  private final Path target;
  private final Path path;
  private boolean completed;

  StagedOutput(Path target, Path path) {
    this.target = target;
    this.path = path;
  }

  /** Where the stage writes this output's files; also where they stay once committed. */
  public Path path() {
    return path;
  }

  /** The output as readers name it, which {@link PublishedOutputs#resolve} turns into a path. */
  public Path target() {
    return target;
  }

  /** Marks the output whole: the unit's commit publishes it. */
  public void complete() {
    completed = true;
  }

  boolean completed() {
    return completed;
  }
}
