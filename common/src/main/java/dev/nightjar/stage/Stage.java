package dev.nightjar.stage;

import dev.nightjar.config.ConfigException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The stages of a run, in pipeline order: the one place their names and their order live. */
public enum Stage {
  PREPARE,
  TRAIN,
  OPTIMIZE,
  INFER;

  /** The name in tables, logs, paths and on the command line, e.g. {@code prepare}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The stage called {@code label}; one clear error listing the stages otherwise. */
  public static Stage parse(String label, String what) {
    return Arrays.stream(values())
        .filter(stage -> stage.label().equals(label))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    what + ": no stage '" + label + "'; the stages are " + labels()));
  }

  /** The stages {@code labels} name, in pipeline order; one clear error for an unknown label. */
  public static Set<Stage> parseAll(List<String> labels, String what) {
    Set<Stage> stages = EnumSet.noneOf(Stage.class);
    labels.forEach(label -> stages.add(parse(label.trim(), what)));
    return stages;
  }

  /** The labels in pipeline order, comma-separated. */
  public static String labels() {
    return Arrays.stream(values()).map(Stage::label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label();
  }
}
