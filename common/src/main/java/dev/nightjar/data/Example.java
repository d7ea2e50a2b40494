package dev.nightjar.data;

import java.io.Serializable;

/**
 * One decoded example: a stable id, its split, its label and its raw pixels (channel-major).
 *
 * @param id stable across reruns: the source file's stem and the record index, e.g. {@code
 *     t10k-000042}
 * @param label the class index, or {@link #UNLABELLED} for new data read for inference
 */
public record Example(String id, Split split, int label, byte[] pixels) implements Serializable {
  public static final int UNLABELLED = -1;

  public boolean labelled() {
    return label != UNLABELLED;
  }
}
