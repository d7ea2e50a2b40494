package dev.nightjar.model;

import dev.nightjar.config.ConfigKeys;
import dev.nightjar.io.InputException;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Where a model file named by a file that was read (serving.json) may lie: below the output root,
 * or below a folder the settings allow, and nowhere else, whatever {@code ..} it holds.
 */
public final class ModelPaths {
  private ModelPaths() {}

  /**
   * {@code file}, qualified; fails naming it when it lies outside {@code root} and {@code allowed}.
   */
  public static Path requireBelow(
      String file, Path root, List<String> allowed, Configuration conf, String source) {
    Path qualified = qualifiedOrNull(file, conf, source);
    if (qualified != null && isBelow(qualified, qualified(root, conf))) {
      return qualified;
    }
    for (String other : allowed) {
      if (qualified != null && isBelow(qualified, qualified(new Path(other), conf))) {
        return qualified;
      }
    }
    throw new InputException(
        source
            + " points at "
            + file
            + ", outside the output root "
            + root
            + (allowed.isEmpty() ? "" : " and " + allowed)
            + "; refusing to load it (a model kept elsewhere must be "
            + "allowed with "
            + ConfigKeys.INFER_MODEL_ROOTS
            + ")");
  }

  /**
   * {@code file}, qualified; fails naming it when it lies outside {@code folder}, the folder of the
   * document {@code source} that names it (a registry entry and its copy of the model).
   */
  public static Path requireInside(String file, Path folder, Configuration conf, String source) {
    Path qualified = qualifiedOrNull(file, conf, source);
    if (qualified != null && isBelow(qualified, qualified(folder, conf))) {
      return qualified;
    }
    throw new InputException(
        source
            + " points at "
            + file
            + ", outside its own folder "
            + folder
            + "; refusing to read it");
  }

  /** {@code file} qualified, or null when no file system serves it; fails if it is no path. */
  private static Path qualifiedOrNull(String file, Configuration conf, String source) {
    Path named;
    try {
      named = new Path(file);
    } catch (IllegalArgumentException e) {
      throw new InputException(
          source + " points at '" + file + "', which is not a path or URI: " + e.getMessage(), e);
    }
    try {
      return qualified(named, conf);
    } catch (java.io.UncheckedIOException | IllegalArgumentException e) {
      // No file system serves it (an unknown scheme, a host the scheme has none of): it lies below
      // no folder Nightjar may read.
      return null;
    }
  }

  static boolean isBelow(Path file, Path folder) {
    URI f = file.toUri().normalize();
    URI d = folder.toUri().normalize();
    if (!sameFileSystem(f, d)) {
      return false;
    }
    String dir = d.getPath().endsWith("/") ? d.getPath() : d.getPath() + "/";
    return f.getPath().startsWith(dir) && !f.getPath().contains("/../");
  }

  private static boolean sameFileSystem(URI a, URI b) {
    return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
        && String.valueOf(a.getAuthority()).equalsIgnoreCase(String.valueOf(b.getAuthority()));
  }

  private static Path qualified(Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf).makeQualified(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }
}
