package dev.nightjar.testing;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every file and folder below a folder, by path relative to it: a file with the SHA-256 of its
 * bytes read through the file system, a folder (empty ones included) as {@code path/} with {@link
 * #FOLDER}. Equal snapshots are the same tree with the same content; taking one reads every byte,
 * so it also proves that all of them can be read.
 */
public final class OutputSnapshot {
  /** What a folder maps to. */
  public static final String FOLDER = "folder";

  private OutputSnapshot() {}

  public static SortedMap<String, String> of(FileSystem fs, Path dir) throws IOException {
    SortedMap<String, String> entries = new TreeMap<>();
    if (!fs.exists(dir)) {
      return entries;
    }
    String prefix = fs.makeQualified(dir).toUri().getPath() + "/";
    Deque<Path> folders = new ArrayDeque<>(List.of(dir));
    while (!folders.isEmpty()) {
      for (FileStatus status : fs.listStatus(folders.pop())) {
        String relative = status.getPath().toUri().getPath().substring(prefix.length());
        if (status.isDirectory()) {
          entries.put(relative + "/", FOLDER);
          folders.push(status.getPath());
        } else {
          entries.put(relative, sha256(fs, status.getPath()));
        }
      }
    }
    return entries;
  }

  private static String sha256(FileSystem fs, Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(fs.open(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
