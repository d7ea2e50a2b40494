package dev.nightjar.jobs.cli;

import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every job takes; they are turned into the last configuration layer. */
public final class JobOptions {
  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "Override a setting (repeatable). Keys starting with spark. are Spark settings; "
              + "others are Nightjar keys, with or without the nightjar. prefix, e.g. train.epochs=2.")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--conf-dir",
      paramLabel = "DIR",
      description =
          "Folder holding nightjar.conf (default: $NIGHTJAR_CONF_DIR, else ./conf if it exists).")
  File confDir;

  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description = "An environment layer over nightjar.conf, e.g. conf/env/standalone.conf.")
  File envFile;

  @Option(
      names = "--output",
      paramLabel = "URI",
      description = "Output root (nightjar.output-root): a path or Hadoop URI.")
  String output;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "Run date (nightjar.run-date); default today.")
  String date;

  @Option(
      names = "--data",
      paramLabel = "URI",
      description = "Folder of the IDX files (nightjar.data.source).")
  String data;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Run id shared by the stages of one run; default generated.")
  String runId;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master when not launched by spark-submit (default local[*]).")
  String master;

  @Option(names = "--stacktrace", description = "Print the full stack trace of a failure.")
  boolean stacktrace;

  /**
   * Resolves the configuration layers; fails with a ConfigException naming the key.
   *
   * @param jobOverrides settings implied by a job's own options, applied after {@code --conf}
   */
  public NightjarConfig loadConfig(List<String> jobOverrides) {
    List<String> layer = new ArrayList<>(overrides);
    layer.addAll(jobOverrides);
    addShortcut(layer, ConfigKeys.OUTPUT_ROOT, output);
    addShortcut(layer, ConfigKeys.RUN_DATE, date);
    addShortcut(layer, ConfigKeys.DATA_SOURCE, data);
    addShortcut(layer, ConfigKeys.RUN_ID, runId);
    return ConfigLoader.of(resolveConfDir(), envFile, layer).load();
  }

  public String master() {
    return master;
  }

  public boolean stacktrace() {
    return stacktrace;
  }

  private File resolveConfDir() {
    if (confDir != null) {
      return confDir;
    }
    String fromEnv = System.getenv("NIGHTJAR_CONF_DIR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new File(fromEnv);
    }
    File local = new File("conf");
    return new File(local, "nightjar.conf").isFile() ? local : null;
  }

  private static void addShortcut(List<String> layer, String key, String value) {
    if (value != null) {
      layer.add(key + "=" + value);
    }
  }
}
