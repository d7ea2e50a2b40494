package dev.nightjar.model;

import dev.nightjar.io.InputException;
import dev.nightjar.io.OutputWriteException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** The SHA-256 a model file is recorded with, checked before its bytes are parsed. */
public final class ModelDigest {
  private ModelDigest() {}

  public static String sha256(byte[] content) {
    return HexFormat.of().formatHex(newDigest().digest(content));
  }

  /** The digest of a file on any Hadoop file system, streamed rather than held in memory. */
  public static String sha256(Configuration conf, Path file) {
    MessageDigest digest = newDigest();
    try (InputStream in = new DigestInputStream(file.getFileSystem(conf).open(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (FileNotFoundException e) {
      throw new InputException(file + ": model not found");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Copies {@code source} to {@code target}, hashing on the way; when the copy's SHA-256 is not
   * {@code expected}, deletes it and fails naming the source, which changed after it was recorded.
   */
  public static void copyVerified(Configuration conf, Path source, Path target, String expected) {
    MessageDigest digest = newDigest();
    try (InputStream in = new DigestInputStream(source.getFileSystem(conf).open(source), digest);
        OutputStream out = target.getFileSystem(conf).create(target, true)) {
      in.transferTo(out);
    } catch (FileNotFoundException e) {
      throw new InputException(source + ": model not found");
    } catch (IOException e) {
      throw new OutputWriteException(target, e);
    }
    String copied = HexFormat.of().formatHex(digest.digest());
    if (!copied.equalsIgnoreCase(expected)) {
      try {
        target.getFileSystem(conf).delete(target, false);
      } catch (IOException e) {
        // The copy fails below either way; the reason matters more than the leftover file.
      }
      throw new InputException(
          source
              + " changed since the model was made: its SHA-256 is "
              + copied
              + ", not "
              + expected);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fails naming {@code file} unless {@code content} has the recorded digest; a reference with no
   * recorded digest (an empty one) checks nothing.
   */
  public static void verify(byte[] content, String recorded, String file) {
    if (recorded == null || recorded.isEmpty()) {
      return;
    }
    String actual = sha256(content);
    if (!actual.equalsIgnoreCase(recorded)) {
      throw new InputException(
          file
              + ": its SHA-256 is "
              + actual
              + ", not the recorded "
              + recorded
              + "; refusing to load a model file that changed after it was recorded");
    }
  }
}
