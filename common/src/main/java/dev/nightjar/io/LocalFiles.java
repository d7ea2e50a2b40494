package dev.nightjar.io;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Files on a local disk read and written by the operating system's calls rather than through
 * Hadoop's local file system, where a path's cost is per file: Hadoop's {@code file://} checks each
 * file it opens for a {@code .crc} file beside it (two status calls, and an exception when there is
 * none), and every file it creates it gives a {@code .crc} file of its own and sets its permissions
 * by running {@code chmod} in a child process, twice. For a folder of small images or hundreds of
 * small shards that costs more than the data. Any other file system goes through Hadoop as before.
 */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * The local file behind {@code path}, or null when {@code fs} is not Hadoop's own local file
   * system (a subclass may do more than read and write, so it is left to do it).
   */
  public static File localFile(FileSystem fs, Path path) {
    if (fs.getClass() == LocalFileSystem.class) {
      return ((LocalFileSystem) fs).pathToFile(path);
    }
    if (fs.getClass() == RawLocalFileSystem.class) {
      return ((RawLocalFileSystem) fs).pathToFile(path);
    }
    return null;
  }

  /**
   * The entries of folder {@code dir}, as {@code fs.listStatus} gives them (qualified paths, in no
   * particular order), a local folder's with one status call per entry rather than Hadoop's five.
   */
  public static FileStatus[] listStatus(FileSystem fs, Path dir) throws IOException {
    File local = localFile(fs, dir);
    if (local == null) {
      return fs.listStatus(dir);
    }
    java.net.URI qualified = fs.makeQualified(dir).toUri();
    String parent =
        qualified.getPath().endsWith("/") ? qualified.getPath() : qualified.getPath() + "/";
    long blockSize = fs.getDefaultBlockSize(dir);
    List<FileStatus> entries = new ArrayList<>();
    try (DirectoryStream<java.nio.file.Path> children = Files.newDirectoryStream(local.toPath())) {
      for (java.nio.file.Path child : children) {
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(child, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue; // gone since the folder was read, or a dangling link, as Hadoop skips it
        }
        entries.add(
            new FileStatus(
                attributes.isDirectory() ? 0 : attributes.size(),
                attributes.isDirectory(),
                1,
                blockSize,
                attributes.lastModifiedTime().toMillis(),
                new Path(
                    qualified.getScheme(),
                    qualified.getAuthority(),
                    parent + child.getFileName())));
      }
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException("File " + dir + " does not exist");
    }
    return entries.toArray(new FileStatus[0]);
  }

  /** Opens {@code path} of {@code fs} for reading, a local file without Hadoop's checksums. */
  public static InputStream open(FileSystem fs, Path path) throws IOException {
    File local = localFile(fs, path);
    return local != null ? new FileInputStream(local) : fs.open(path);
  }

  /** Writes one file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} under a hidden temporary name in its folder, then renames it over any
   * earlier {@code target}, so that a retried task leaves one whole file. On a local disk through
   * java.nio, leaving no checksum file, and removing a stale one of the target (Hadoop's local file
   * system would fail the next read of the target against it); elsewhere through {@code fs}.
   */
  public static void writeReplacing(FileSystem fs, Path target, Content content)
      throws IOException {
    Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
    File local = localFile(fs, target);
    if (local != null) {
      java.nio.file.Path file = local.toPath();
      java.nio.file.Path dir = file.getParent();
      java.nio.file.Path scratch = dir.resolve(temporary.getName());
      Files.createDirectories(dir);
      writeAndClose(new BufferedOutputStream(Files.newOutputStream(scratch), 1 << 16), content);
      Files.deleteIfExists(dir.resolve("." + file.getFileName() + ".crc"));
      Files.move(
          scratch, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    writeAndClose(fs.create(temporary, true), content);
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(temporary, target)) {
      throw new IOException("could not rename " + temporary + " to " + target);
    }
  }

  /**
   * Writes {@code content} to {@code out} and closes it. Not try-with-resources: HDFS's stream
   * throws the same exception again on close after a failed write (a quota exceeded), and a
   * throwable cannot suppress itself.
   */
  private static void writeAndClose(OutputStream out, Content content) throws IOException {
    try {
      content.writeTo(out);
    } catch (IOException | RuntimeException failure) {
      try {
        out.close();
      } catch (IOException closing) {
        if (closing != failure) {
          failure.addSuppressed(closing);
        }
      }
      throw failure;
    }
    out.close();
  }
}
