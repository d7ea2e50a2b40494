package dev.nightjar.data;

import java.util.Locale;

/** The three splits of a prepared data set. The test split is the source's own test file. */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST;

  /** The lower-case name used in paths, tables and config. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a split name as written in config or paths, or fails naming the accepted values. */
  public static Split parse(String text) {
    for (Split split : values()) {
      if (split.label().equalsIgnoreCase(text.trim())) {
        return split;
      }
    }
    throw new IllegalArgumentException(
        "unknown split '" + text + "': expected train, validation or test");
  }
}
