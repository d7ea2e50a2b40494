package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import dev.nightjar.data.Split;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Typed reads of a resolved tree that turn Typesafe's exceptions into one line naming the key and
 * its origin.
 */
record TypedConfig(Config c) {
  String string(String key) {
    return read(key, () -> c.getString(key), "a string");
  }

  int integer(String key) {
    return read(key, () -> c.getInt(key), "a whole number");
  }

  long longInteger(String key) {
    return read(key, () -> c.getLong(key), "a whole number");
  }

  Duration duration(String key) {
    return read(key, () -> c.getDuration(key), "a duration such as 30s or 24h");
  }

  boolean bool(String key) {
    return read(key, () -> c.getBoolean(key), "true or false");
  }

  double decimal(String key) {
    return read(key, () -> c.getDouble(key), "a number");
  }

  List<Double> decimals(String key) {
    return read(key, () -> new ArrayList<>(c.getDoubleList(key)), "a list of numbers");
  }

  List<String> strings(String key) {
    return read(key, () -> new ArrayList<>(c.getStringList(key)), "a list of strings");
  }

  /** A date as YYYY-MM-DD; empty means today. */
  LocalDate date(String key) {
    String text = string(key);
    if (text.isBlank()) {
      return LocalDate.now();
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ConfigException.badValue(key, text, "expected a date as YYYY-MM-DD");
    }
  }

  Split split(String key) {
    String text = string(key);
    try {
      return Split.parse(text);
    } catch (IllegalArgumentException e) {
      throw ConfigException.badValue(key, text, "expected train, validation or test");
    }
  }

  private <T> T read(String key, Supplier<T> reader, String expected) {
    try {
      return reader.get();
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      ConfigValue value = c.getValue(key);
      throw new ConfigException(
          key
              + " = "
              + value.render(ConfigRenderOptions.concise())
              + " (from "
              + value.origin().description()
              + "): expected "
              + expected);
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(key + ": " + e.getMessage(), e);
    }
  }
}
