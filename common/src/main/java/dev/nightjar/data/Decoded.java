package dev.nightjar.data;

import java.io.Serializable;

/**
 * What decoding one record gave: an example, or a rejection for the quarantine. Exactly one is set.
 */
public record Decoded(Example example, Rejection rejection) implements Serializable {
  public static Decoded of(Example example) {
    return new Decoded(example, null);
  }

  public static Decoded rejected(Rejection rejection) {
    return new Decoded(null, rejection);
  }

  public boolean isExample() {
    return example != null;
  }
}
