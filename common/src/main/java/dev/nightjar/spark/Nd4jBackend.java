package dev.nightjar.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks ND4J's CPU build at run time, before ND4J loads: the oneDNN build (AVX2) where the CPU
 * supports it, the generic build elsewhere, so one job jar runs on any x86-64 executor. With the
 * oneDNN build it switches on DL4J's oneDNN layer helpers, which M2.1 leaves off by default.
 * Settings given with {@code -D} win.
 */
public final class Nd4jBackend {
  private static final Logger LOG = LoggerFactory.getLogger(Nd4jBackend.class);

  /** javacpp's choice among the native builds on the classpath. */
  static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";

  /** DL4J's switch for its cuDNN / oneDNN layer helpers; M2.1 defaults it to true. */
  static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

  private Nd4jBackend() {}

  /** Chooses the native build and the helpers for this JVM; call before anything touches ND4J. */
  public static synchronized void configure() {
    if (System.getProperty(PLATFORM_EXTENSION) == null) {
      boolean avx2 = cpuFlags().contains(" avx2");
      System.setProperty(PLATFORM_EXTENSION, avx2 ? "-onednn-avx2" : "");
    }
    if (System.getProperty(HELPERS_DISABLE) == null) {
      System.setProperty(HELPERS_DISABLE, "false");
    }
  }

  /** Whether the loaded libnd4j was built with oneDNN. */
  public static boolean hasOneDnn() {
    try {
      return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("Cannot read libnd4j's build information", e);
      return false;
    }
  }

  private static String cpuFlags() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(line -> line.startsWith("flags"))
              .findFirst()
              .orElse("")
          + " ";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
