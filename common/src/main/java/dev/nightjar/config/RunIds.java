package dev.nightjar.config;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Run ids: the configured one, checked, or one generated from the run date and the clock. */
final class RunIds {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

  private RunIds() {}

  /** The configured run id if one is set, else a generated one. */
  static String resolve(String configured, LocalDate runDate) {
    if (configured.isBlank()) {
      return generate(runDate, LocalTime.now());
    }
    if (!configured.matches("[A-Za-z0-9._-]+") || configured.contains("..")) {
      // The run id names staging folders under the output root: it must not be able to leave it.
      throw ConfigException.badValue(ConfigKeys.RUN_ID, configured, "expected letters, digits, '.', '_' and '-' only");
    }
    return configured;
  }

  /** {@code D_HHmmss_xxxx}: the run date, the time of day and 4 random hex digits. */
  static String generate(LocalDate runDate, LocalTime time) {
    return runDate + "_" + time.format(TIME) + "_"
        + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
  }
}
