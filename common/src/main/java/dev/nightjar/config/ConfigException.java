package dev.nightjar.config;

/** A configuration key, value or path is wrong. The message names it in one line. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The key's value is outside what it accepts. */
  public static ConfigException badValue(String key, Object value, String expected) {
    return new ConfigException(key + " = " + value + ": " + expected);
  }
}
