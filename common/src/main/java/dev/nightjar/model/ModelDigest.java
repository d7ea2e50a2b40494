package dev.nightjar.model;

import dev.nightjar.io.InputException;
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

  /** A fresh SHA-256 digest, for callers that hash while they copy. */
  public static MessageDigest newDigest() {
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
