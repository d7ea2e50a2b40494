package org.nd4j.nativeblas;

import dev.nightjar.spark.Nd4jBackend;

/**
 * A shim for a DL4J 1.0.0-M2.1 bug, in ND4J's package on purpose. DL4J's oneDNN layer helpers
 * ({@code BaseMKLDNNHelper.mklDnnEnabled()}) look this class up by reflection to ask whether
 * libnd4j was built with oneDNN; M2.1 moved ND4J's bindings elsewhere, so the lookup always fails
 * and convolution, batch norm and pooling never use oneDNN, even in the oneDNN build. Answering the
 * question truthfully lets the helpers switch on: about three times faster training of FashionCNN
 * on a 2-core CPU (docs/benchmarks.md). Remove it once DL4J fixes the lookup.
 */
public final class Nd4jCpu {
  private Nd4jCpu() {}

  /** The one method DL4J calls: {@code Nd4jCpu.Environment.getInstance().isUseMKLDNN()}. */
  public static final class Environment {
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    public boolean isUseMKLDNN() {
      return Nd4jBackend.hasOneDnn();
    }
  }
}
