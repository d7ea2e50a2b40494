package dev.nightjar.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a small file so that a reader sees either its previous content or the new one, never a
 * part and never no file:
 *
 * <ul>
 *   <li>local disks: a hidden temporary file moved over it with {@code ATOMIC_MOVE} ({@code
 *       rename(2)});
 *   <li>HDFS: a hidden temporary file renamed over it with {@code Rename.OVERWRITE}, one NameNode
 *       operation ({@code FileSystem.rename} refuses an existing target);
 *   <li>{@code s3a://}: written in place; the object store makes an upload visible only whole, when
 *       it completes.
 * </ul>
 *
 * Other file systems get the temporary file, a delete and a rename: not atomic, and logged as such.
 */
public final class AtomicFiles {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

  private AtomicFiles() {}

  /** Replaces (or creates) {@code path} with {@code content}. */
  public static void replace(Configuration conf, Path path, byte[] content) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      Path file = fs.makeQualified(path);
      String scheme = file.toUri().getScheme();
      if ("s3a".equals(scheme)) {
        write(fs, file, content);
        return;
      }
      if ("file".equals(scheme)) {
        replaceLocal(java.nio.file.Paths.get(file.toUri()), content);
        return;
      }
      Path temporary =
          new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
      write(fs, temporary, content);
      try {
        if ("hdfs".equals(scheme)) {
          FileContext.getFileContext(file.toUri(), conf)
              .rename(temporary, file, Options.Rename.OVERWRITE);
        } else {
          LOG.warn(
              "{}:// has no atomic replace; {} is deleted, then renamed into place", scheme, file);
          fs.delete(file, false);
          if (!fs.rename(temporary, file)) {
            throw new IOException("could not rename " + temporary + " to " + file);
          }
        }
      } finally {
        fs.delete(temporary, false);
      }
    } catch (IOException e) {
      throw new OutputWriteException(path, e);
    }
  }

  /**
   * Through java.nio rather than Hadoop's local file system, which would leave the temporary file's
   * checksum file behind; a stale checksum file of the target would fail its next read.
   */
  private static void replaceLocal(java.nio.file.Path file, byte[] content) throws IOException {
    java.nio.file.Path dir = file.getParent();
    Files.createDirectories(dir);
    java.nio.file.Path temporary =
        dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.write(temporary, content);
      Files.deleteIfExists(dir.resolve("." + file.getFileName() + ".crc"));
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void write(FileSystem fs, Path file, byte[] content) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(content);
    }
  }
}
