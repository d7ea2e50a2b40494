package dev.nightjar.config;

/** Range checks that name the offending key, shared by the config records. */
public final class Checks {
  private Checks() {}

  public static int atLeast(int min, int value, String key) {
    if (value < min) {
      throw ConfigException.badValue(key, value, "must be at least " + min);
    }
    return value;
  }

  public static double inRange(double min, double max, double value, String key) {
    if (!(value >= min && value <= max)) {
      throw ConfigException.badValue(key, value, "must be between " + min + " and " + max);
    }
    return value;
  }

  public static double positive(double value, String key) {
    if (!(value > 0)) {
      throw ConfigException.badValue(key, value, "must be greater than 0");
    }
    return value;
  }

  public static String nonEmpty(String value, String key) {
    if (value == null || value.isBlank()) {
      throw ConfigException.badValue(key, "\"\"", "must not be empty");
    }
    return value;
  }
}
