package dev.nightjar.io;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output folder written under a staging path and published by one rename, so readers never see
 * half of it. Closing it without {@link #commit()} deletes what was staged: a failed run leaves the
 * previous output as it was. A rerun replaces the target whole.
 *
 * <p>Rename is atomic on HDFS and local disks; on object stores it is a copy, which a later change
 * replaces by a pointer written last.
 *
 * <p>Its {@link CommitFence} is asked right before the commit's first rename, so a run that lost
 * the output root's lock publishes nothing.
 */
public final class StagedOutput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagedOutput.class);

  /**
   * Staging and trash folders live under the output root, on the same file system as the targets.
   */
  public static final String STAGING_DIR = "_staging";

  private static final String TRASH_DIR = "_trash";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final Path trash;
  private final Path root;
  private final CommitFence fence;
  private boolean committed;

  private StagedOutput(
      FileSystem fs, Path root, Path target, Path staging, Path trash, CommitFence fence) {
    this.fs = fs;
    this.root = root;
    this.target = target;
    this.staging = staging;
    this.trash = trash;
    this.fence = fence;
  }

  /**
   * Starts an output for {@code target}, staged under {@code root/_staging/runId/}.
   *
   * @param root the output root; the target must lie below it
   * @param target the folder that {@link #commit()} publishes
   * @param runId names the staging folder, so concurrent runs never share one
   * @param fence asked before the commit publishes; {@link CommitFence#NONE} without a lock
   */
  public static StagedOutput begin(
      Configuration conf, Path root, Path target, String runId, CommitFence fence) {
    try {
      FileSystem fs = target.getFileSystem(conf);
      Path qualifiedRoot = fs.makeQualified(root);
      Path qualifiedTarget = fs.makeQualified(target);
      requirePlainRunId(runId);
      String relative = relativeTo(qualifiedRoot, qualifiedTarget);
      refuseLinksBelowRoot(qualifiedRoot, relative);
      Path staging = new Path(new Path(new Path(qualifiedRoot, STAGING_DIR), runId), relative);
      Path trash = new Path(new Path(new Path(qualifiedRoot, TRASH_DIR), runId), relative);
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
      if (!fs.mkdirs(staging)) {
        throw new IOException("could not create " + staging);
      }
      return new StagedOutput(fs, qualifiedRoot, qualifiedTarget, staging, trash, fence);
    } catch (IOException e) {
      throw new OutputWriteException(target, e);
    }
  }

  /**
   * On a local file system, refuses a target reached through a symbolic link below the root, which
   * could send the night's output anywhere the link points. (HDFS and object stores have none.)
   */
  private static void refuseLinksBelowRoot(Path root, String relative) {
    if (!"file".equals(root.toUri().getScheme())) {
      return;
    }
    java.nio.file.Path current = java.nio.file.Paths.get(root.toUri());
    for (String segment : relative.split("/")) {
      current = current.resolve(segment);
      if (java.nio.file.Files.isSymbolicLink(current)) {
        throw new IllegalArgumentException(
            "refusing to write "
                + relative
                + " under "
                + root
                + " through the symbolic link "
                + current);
      }
    }
  }

  private static String relativeTo(Path root, Path target) {
    String rootText = root.toUri().getPath();
    String targetText = target.toUri().getPath();
    if (("/" + targetText + "/").contains("/../")) {
      throw new IllegalArgumentException(target + " climbs out of its folder with '..'");
    }
    if (!targetText.startsWith(rootText.endsWith("/") ? rootText : rootText + "/")) {
      throw new IllegalArgumentException(target + " is not below the output root " + root);
    }
    return targetText.substring(rootText.length()).replaceFirst("^/", "");
  }

  /**
   * Deletes what run {@code runId}, which died, left staged under {@code root}: it was never
   * visible and will never be committed. Its {@code _trash} (previous outputs moved aside in the
   * instant between a commit's two renames) is kept for a person to look at.
   */
  public static void discardAbandoned(Configuration conf, Path root, String runId) {
    requirePlainRunId(runId);
    Path staging = new Path(new Path(root, STAGING_DIR), runId);
    Path trash = new Path(new Path(root, TRASH_DIR), runId);
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (fs.delete(staging, true)) {
        LOG.info("Deleted {}, left staged by run {}", staging, runId);
        pruneEmptyParents(fs, fs.makeQualified(root), fs.makeQualified(staging));
      }
      if (fs.exists(trash)) {
        LOG.warn(
            "Run {} left previous outputs moved aside in {}; kept for inspection", runId, trash);
      }
    } catch (IOException e) {
      throw new OutputWriteException(staging, e);
    }
  }

  /** A run id names folders under the root, so it must not be able to climb out of them. */
  private static void requirePlainRunId(String runId) {
    if (!PlainNames.isPlain(runId)) {
      throw new IllegalArgumentException(
          "run id '" + runId + "' is not a plain name (letters, digits, _ -)");
    }
  }

  /** Where the stage writes; nothing here is visible to readers until {@link #commit()}. */
  public Path path() {
    return staging;
  }

  /** Where the output will be once committed. */
  public Path target() {
    return target;
  }

  /**
   * Publishes the staged folder as the target, replacing an earlier output of the same target, once
   * the fence allows it.
   */
  public void commit() {
    fence.check(target);
    try {
      fs.mkdirs(target.getParent());
      boolean replaced = false;
      if (fs.exists(target)) {
        fs.mkdirs(trash.getParent());
        if (!fs.rename(target, trash)) {
          throw new IOException("could not move the previous output aside to " + trash);
        }
        replaced = true;
      }
      if (!fs.rename(staging, target)) {
        if (replaced) {
          fs.rename(trash, target);
        }
        throw new IOException("could not rename " + staging + " to " + target);
      }
      committed = true;
      if (replaced) {
        fs.delete(trash, true);
      }
      pruneEmptyParents(staging);
      pruneEmptyParents(trash);
      LOG.info("Committed {}", target);
    } catch (IOException e) {
      throw new OutputWriteException(target, e);
    }
  }

  /** Removes the folders left empty above a moved or deleted path, up to the output root. */
  private void pruneEmptyParents(Path path) throws IOException {
    pruneEmptyParents(fs, root, path);
  }

  private static void pruneEmptyParents(FileSystem fs, Path root, Path path) throws IOException {
    for (Path dir = path.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
      if (!fs.exists(dir) || fs.listStatus(dir).length > 0 || !fs.delete(dir, false)) {
        return;
      }
    }
  }

  /** Deletes the staged folder if it was not committed. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    try {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
        LOG.info("Discarded uncommitted output {}", staging);
      }
      pruneEmptyParents(staging);
    } catch (IOException e) {
      LOG.warn("Could not delete staged output {}: {}", staging, e.getMessage());
    }
  }
}
