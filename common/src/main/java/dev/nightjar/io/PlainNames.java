package dev.nightjar.io;

import java.util.regex.Pattern;

/**
 * Names that become one path segment under the output root (run ids in {@code _staging/<id>}):
 * ASCII letters, digits, {@code _} and {@code -} only, so that none can climb out of its folder
 * ({@code ..}), stand for it ({@code .}), hide (a leading dot) or nest ({@code /}).
 */
public final class PlainNames {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private PlainNames() {}

  public static boolean isPlain(String name) {
    return name != null && PLAIN_NAME.matcher(name).matches();
  }
}
