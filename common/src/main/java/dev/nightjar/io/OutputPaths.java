package dev.nightjar.io;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Paths below the output root: each must lie strictly below it, reached without links. */
final class OutputPaths {
  private OutputPaths() {}

  /** {@code path} relative to {@code root}; refuses a path not strictly below it. */
  static String relativeTo(Path root, Path path) {
    String rootText = root.toUri().getPath();
    String pathText = path.toUri().getPath();
    if (("/" + pathText + "/").contains("/../") || ("/" + pathText + "/").contains("/./")) {
      throw new IllegalArgumentException(path + " climbs out of its folder with '..' or '.'");
    }
    String prefix = rootText.endsWith("/") ? rootText : rootText + "/";
    if (!pathText.startsWith(prefix) || pathText.length() == prefix.length()) {
      throw new IllegalArgumentException(path + " is not below the output root " + root);
    }
    return pathText.substring(prefix.length()).replaceFirst("/$", "");
  }

  /** {@code relative} (from {@link #relativeTo}, or read from a record) as a path below root. */
  static Path below(Path root, String relative) {
    if (relative.isEmpty() || relative.startsWith("/")) {
      throw new IllegalArgumentException("'" + relative + "' is not a path below " + root);
    }
    for (String segment : relative.split("/")) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("'" + relative + "' is not a path below " + root);
      }
    }
    return new Path(root, relative);
  }

  /**
   * On a local file system, refuses a target reached through a symbolic link below the root, which
   * could send the night's output anywhere the link points. (HDFS and object stores have none.)
   */
  static void refuseLinksBelowRoot(Path root, String relative) {
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

  /** Removes the folders left empty above a deleted path, up to the output root. */
  static void pruneEmptyParents(FileSystem fs, Path root, Path path) throws IOException {
    for (Path dir = path.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
      if (!fs.exists(dir) || fs.listStatus(dir).length > 0 || !fs.delete(dir, false)) {
        return;
      }
    }
  }
}
