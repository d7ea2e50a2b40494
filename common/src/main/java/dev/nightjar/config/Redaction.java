package dev.nightjar.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets in settings that are written out or logged (an S3 secret key set as a Spark
 * setting, say), by the rule Spark redacts its own with: a key whose name matches {@code
 * spark.redaction.regex}.
 */
public final class Redaction {
  /** Spark's default {@code spark.redaction.regex}. */
  public static final String SPARK_DEFAULT = "(?i)secret|password|token|access[.]key";

  /** What Spark writes instead of a redacted value. */
  public static final String REPLACEMENT = "*********(redacted)";

  private Redaction() {}

  /** A copy of the nested settings with the value of every matching key replaced. */
  public static Map<String, Object> redact(Map<String, Object> settings, Pattern secretKeys) {
    return redact(settings, "", secretKeys);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> redact(
      Map<String, Object> settings, String prefix, Pattern secretKeys) {
    Map<String, Object> copy = new LinkedHashMap<>();
    settings.forEach(
        (key, value) -> {
          String path = prefix.isEmpty() ? key : prefix + "." + key;
          if (secretKeys.matcher(path).find()) {
            copy.put(key, REPLACEMENT);
          } else if (value instanceof Map<?, ?> nested) {
            copy.put(key, redact((Map<String, Object>) nested, path, secretKeys));
          } else if (value instanceof List<?> list) {
            copy.put(
                key,
                list.stream()
                    .map(
                        v ->
                            v instanceof Map<?, ?> m
                                ? redact((Map<String, Object>) m, path, secretKeys)
                                : v)
                    .toList());
          } else {
            copy.put(key, value);
          }
        });
    return copy;
  }
}
