package dev.nightjar.source;

import java.io.Serializable;

/** Records {@code [start, end)} of one source, read by one task. */
public record RecordRange(IdxSourceFile source, boolean fromTestFile, int start, int end)
    implements Serializable {
  public int size() {
    return end - start;
  }
}
