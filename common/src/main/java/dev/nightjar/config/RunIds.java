package dev.nightjar.config;

import dev.nightjar.io.PlainNames;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run ids: the configured one, checked, or one generated from the run date and the clock. A run id
 * names folders under the output root ({@code _staging/<run-id>}), so it must be a plain name that
 * cannot climb out of them or hide: no {@code /}, no {@code .}, {@code ..} or leading dot.
 */
public final class RunIds {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

  private RunIds() {}

  /** Whether {@code name} is made only of ASCII letters, digits, {@code _} and {@code -}. */
  public static boolean isPlainName(String name) {
    return PlainNames.isPlain(name);
  }

  /** The configured run id if one is set (it must be a plain name), else a generated one. */
  static String resolve(String configured, LocalDate runDate) {
    if (configured.isBlank()) {
      return generate(runDate, LocalTime.now());
    }
    if (!isPlainName(configured)) {
      throw ConfigException.badValue(
          ConfigKeys.RUN_ID,
          configured,
          "expected a plain name: letters, digits, '_' and '-' only");
    }
    return configured;
  }

  /** {@code D_HHmmss_xxxx}: the run date, the time of day and 4 random hex digits. */
  static String generate(LocalDate runDate, LocalTime time) {
    // A year past 9999 prints with a '+' sign, which is no part of a plain name.
    String date = runDate.toString().replace("+", "");
    return date
        + "_"
        + time.format(TIME)
        + "_"
        + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
  }
}
