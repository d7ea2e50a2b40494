package dev.nightjar.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.List;
import java.util.Optional;

/**
 * Reads and merges the configuration layers into one resolved tree, later layers winning: {@code
 * reference.conf}, {@code nightjar.conf} in the conf directory, the environment file, and the
 * {@code key=value} overrides in order. Nothing is typed or checked against the declared keys here.
 */
final class ConfigLayers {
  private ConfigLayers() {}

  /** {@code reference.conf} in this jar: every key and its default. */
  static Config reference() {
    return ConfigFactory.parseResources(ConfigLayers.class, "/reference.conf");
  }

  /** The layers merged over {@code reference} and resolved. */
  static Config resolve(
      Config reference, Optional<File> confDir, Optional<File> envFile, List<String> overrides) {
    Config merged = overrideLayer(overrides);
    if (envFile.isPresent()) {
      merged = merged.withFallback(parseFile(envFile.get()));
    }
    if (confDir.isPresent()) {
      File shipped = new File(confDir.get(), "nightjar.conf");
      if (!confDir.get().isDirectory()) {
        throw new ConfigException("conf directory not found: " + confDir.get());
      }
      if (shipped.isFile()) {
        merged = merged.withFallback(parseFile(shipped));
      }
    }
    try {
      return merged.withFallback(reference).resolve(ConfigResolveOptions.defaults());
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * The overrides as one layer. A key starting with {@code spark.} is a Spark setting; any other is
   * a Nightjar key, with or without its {@code nightjar.} prefix.
   */
  private static Config overrideLayer(List<String> overrides) {
    Config layer = ConfigFactory.empty("--conf");
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--conf " + override + ": expected key=value");
      }
      String key = override.substring(0, eq).trim();
      String value = override.substring(eq + 1).trim();
      String path =
          key.startsWith("spark.")
              ? ConfigKeys.SPARK + "." + ConfigUtil.quoteString(key)
              : key.startsWith(ConfigKeys.ROOT + ".") ? key : ConfigKeys.ROOT + "." + key;
      try {
        layer =
            layer.withValue(
                path,
                parseValue(value)
                    .withOrigin(ConfigValueFactory.fromAnyRef(value, "--conf " + key).origin()));
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException("--conf " + override + ": not a valid key", e);
      }
    }
    return layer;
  }

  /**
   * A value given on the command line: a list like {@code [a, b]} is parsed, anything else is text.
   */
  private static ConfigValue parseValue(String value) {
    if (value.startsWith("[")) {
      try {
        return ConfigFactory.parseString("v = " + value).getValue("v");
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException("not a valid list: " + value, e);
      }
    }
    return ConfigValueFactory.fromAnyRef(value);
  }

  private static Config parseFile(File file) {
    if (!file.isFile()) {
      throw new ConfigException("config file not found: " + file);
    }
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(file + ": " + e.getMessage(), e);
    }
  }
}
