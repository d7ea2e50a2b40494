package dev.nightjar.config;

import com.typesafe.config.Config;
import java.io.File;
import java.util.List;
import java.util.Optional;

/**
 * Resolves the configuration layers once and binds them to typed records. Layers, later winning:
 *
 * <ol>
 *   <li>{@code reference.conf} in this jar: every key and its default;
 *   <li>{@code nightjar.conf} in the conf directory, if one is given;
 *   <li>an environment file, if one is given (for example {@code conf/env/standalone.conf});
 *   <li>{@code key=value} overrides, in order. A key starting with {@code spark.} is a Spark
 *       setting; any other key is a Nightjar key, with or without its {@code nightjar.} prefix.
 * </ol>
 *
 * <p>The front of the package, the only place keys are read: {@link ConfigLayers} merges the
 * layers, {@link UnknownKeys} rejects undeclared keys, {@link ConfigBinder} binds the rest by name.
 * Unknown keys and wrong types fail here, naming the key.
 */
public final class ConfigLoader {
  private final Optional<File> confDir;
  private final Optional<File> envFile;
  private final List<String> overrides;

  private ConfigLoader(Optional<File> confDir, Optional<File> envFile, List<String> overrides) {
    this.confDir = confDir;
    this.envFile = envFile;
    this.overrides = List.copyOf(overrides);
  }

  /** A loader over the given layers; the conf directory and environment file may be null. */
  public static ConfigLoader of(File confDir, File envFile, List<String> overrides) {
    return new ConfigLoader(Optional.ofNullable(confDir), Optional.ofNullable(envFile), overrides);
  }

  /** Only the defaults and the overrides: what tests and embedding code use. */
  public static NightjarConfig fromOverrides(String... overrides) {
    return of(null, null, List.of(overrides)).load();
  }

  /** Resolves, validates and binds the layers. */
  public NightjarConfig load() {
    Config reference = ConfigLayers.reference();
    Config resolved = ConfigLayers.resolve(reference, confDir, envFile, overrides);
    UnknownKeys.reject(resolved, reference);
    return ConfigBinder.bind(resolved);
  }
}
