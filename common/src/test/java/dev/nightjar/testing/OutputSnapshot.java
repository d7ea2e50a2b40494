package dev.nightjar.testing;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Every file below a folder, by path relative to it, with the SHA-256 of its bytes read through the
 * file system. Equal snapshots are the same files with the same content; taking one reads every
 * byte, so it also proves that all of them can be read.
 */
public final class OutputSnapshot {
  private OutputSnapshot() {}

  public static SortedMap<String, String> of(FileSystem fs, Path dir) throws IOException {
    SortedMap<String, String> files = new TreeMap<>();
    if (!fs.exists(dir)) {
      return files;
    }
    String prefix = fs.makeQualified(dir).toUri().getPath() + "/";
    RemoteIterator<LocatedFileStatus> listing = fs.listFiles(dir, true);
    while (listing.hasNext()) {
      Path file = listing.next().getPath();
      files.put(file.toUri().getPath().substring(prefix.length()), sha256(fs, file));
    }
    return files;
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
