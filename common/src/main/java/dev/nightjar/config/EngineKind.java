package dev.nightjar.config;

import java.util.Arrays;
import java.util.Locale;

/** The engines a model can be served on, as written in config. */
public enum EngineKind {
  /**
   * DL4J's own {@code output()}: the training framework, and the reference for every other engine.
   */
  DL4J,
  /** ONNX Runtime, on an ONNX export of the model. */
  ONNXRUNTIME;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EngineKind parse(String text, String key) {
    for (EngineKind kind : values()) {
      if (kind.label().equalsIgnoreCase(text.trim())) {
        return kind;
      }
    }
    throw ConfigException.badValue(
        key, text, "expected one of " + Arrays.stream(values()).map(EngineKind::label).toList());
  }
}
