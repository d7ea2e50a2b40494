package dev.nightjar.spark;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the current task's thread to the GPU Spark assigned it. On the CUDA backend every array the
 * task then creates lives on that device; on the CPU backend binding is a no-op, and the assignment
 * is still logged so tests and operators can see it.
 */
public final class GpuBinding {
  private static final Logger LOG = LoggerFactory.getLogger(GpuBinding.class);

  private static final ThreadLocal<String> BOUND = new ThreadLocal<>();

  private GpuBinding() {}

  /** The GPU address the current task thread was last bound to, or null. */
  public static String currentAddress() {
    return BOUND.get();
  }

  /**
   * The GPU this executor was given: the first address Spark assigned the running task, or device 0
   * outside a task or without GPU scheduling.
   */
  public static int executorDevice() {
    TaskContext task = TaskContext.get();
    if (task != null && task.resources().contains("gpu")) {
      String[] addresses = task.resources().apply("gpu").addresses();
      if (addresses.length > 0) {
        return Integer.parseInt(addresses[0].trim());
      }
    }
    return 0;
  }

  static void bind(TaskContext task, String address) {
    int device;
    try {
      device = Integer.parseInt(address.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "GPU address '"
              + address
              + "' of task "
              + task.taskAttemptId()
              + " is not a device number: check the GPU discovery script",
          e);
    }
    Nd4j.getAffinityManager().unsafeSetDevice(device);
    BOUND.set(address);
    LOG.info(
        "task {} (stage {}, partition {}) bound to GPU {}; ND4J device now {}",
        task.taskAttemptId(),
        task.stageId(),
        task.partitionId(),
        device,
        Nd4j.getAffinityManager().getDeviceForCurrentThread());
  }
}
