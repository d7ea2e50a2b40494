package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Map;

/**
 * Rejects a key that {@code reference.conf} does not declare, suggesting the nearest one it does.
 */
final class UnknownKeys {
  /**
   * Edits (insert, delete, substitute) within which a declared key is offered as the likely one.
   */
  private static final int MAX_SUGGESTION_DISTANCE = 3;

  private UnknownKeys() {}

  /**
   * Fails on the first key under {@code nightjar} (Spark settings aside) that {@code reference}
   * lacks.
   */
  static void reject(Config resolved, Config reference) {
    Config known = reference.getConfig(ConfigKeys.ROOT);
    for (Map.Entry<String, ConfigValue> entry : resolved.getConfig(ConfigKeys.ROOT).entrySet()) {
      String path = entry.getKey();
      if (path.startsWith("spark.")) {
        continue;
      }
      if (!known.hasPathOrNull(path)) {
        String key = ConfigKeys.ROOT + "." + path;
        throw new ConfigException(
            "unknown key "
                + key
                + " (from "
                + entry.getValue().origin().description()
                + ")"
                + suggestion(path, known));
      }
    }
  }

  private static String suggestion(String path, Config known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known.entrySet().stream().map(Map.Entry::getKey).toList()) {
      int distance = editDistance(path, candidate);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return best != null && bestDistance <= MAX_SUGGESTION_DISTANCE
        ? "; did you mean " + ConfigKeys.ROOT + "." + best + "?"
        : "";
  }

  /** Levenshtein distance, two rows at a time. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
