package dev.nightjar.bench;

import java.util.concurrent.Callable;

/**
 * Runs a baseline as DL4J 1.0.0-M2.1 ships: with its oneDNN layer helpers off. Networks read the
 * switch when they are built, so everything the measurement builds runs without them.
 */
final class Dl4jDefaults {
  private static final String HELPERS_DISABLED = "org.eclipse.deeplearning4j.helpers.disable";

  private Dl4jDefaults() {}

  static <T> T run(Callable<T> measurement) throws Exception {
    String previous = System.getProperty(HELPERS_DISABLED);
    System.setProperty(HELPERS_DISABLED, "true");
    try {
      return measurement.call();
    } finally {
      System.setProperty(HELPERS_DISABLED, previous == null ? "false" : previous);
    }
  }
}
