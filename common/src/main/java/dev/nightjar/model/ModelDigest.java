package dev.nightjar.model;

import dev.nightjar.io.InputException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 a model file is recorded with, checked before its bytes are parsed. */
public final class ModelDigest {
  private ModelDigest() {}

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
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
