package dev.nightjar.spark;

import java.util.Collections;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.resource.ResourceInformation;
import org.deeplearning4j.spark.time.SystemClockTimeSource;
import org.deeplearning4j.spark.time.TimeSourceProvider;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares every JVM that runs Nightjar tasks (executors, and the driver in local mode); enabled
 * with {@code spark.plugins=dev.nightjar.spark.NightjarPlugin}, which the jobs set.
 *
 * <ul>
 *   <li>on an executor given GPUs, checks the CUDA libraries ND4J's CUDA backend needs before it
 *       loads, and stops with one line naming those missing ({@link CudaLibraries});
 *   <li>picks ND4J's native build (oneDNN where the CPU has AVX2) and switches on DL4J's oneDNN
 *       layer helpers, before anything loads ND4J ({@link Nd4jBackend});
 *   <li>caps ND4J's threads at {@value #THREADS_PER_TASK} per task, so task slots do not fight over
 *       cores;
 *   <li>makes DL4J's training statistics use the system clock instead of asking an NTP server;
 *   <li>binds each task's thread to the GPU that Spark assigned the task ({@code
 *       TaskContext.resources()}), rather than every task landing on device 0.
 * </ul>
 */
public final class NightjarPlugin implements SparkPlugin {
  /** ND4J (OpenMP) threads per task slot. */
  public static final String THREADS_PER_TASK = "spark.nightjar.threadsPerTask";

  private static final Logger LOG = LoggerFactory.getLogger(NightjarPlugin.class);

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Map<String, String> init(SparkContext sc, PluginContext context) {
        Nd4jBackend.configure();
        useSystemClockForTrainingStats();
        return Collections.emptyMap();
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext context, Map<String, String> extraConf) {
        if (context.resources().containsKey("gpu")) {
          CudaLibraries.requireOnGpuExecutor(context.executorID());
        }
        Nd4jBackend.configure();
        useSystemClockForTrainingStats();
        int threads = context.conf().getInt(THREADS_PER_TASK, 1);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        LOG.info(
            "Executor {}: ND4J limited to {} thread(s) per task", context.executorID(), threads);
      }

      @Override
      public void onTaskStart() {
        TaskContext task = TaskContext.get();
        ResourceInformation gpu =
            task == null ? null : task.resources().get("gpu").getOrElse(() -> null);
        if (gpu != null && gpu.addresses().length > 0) {
          GpuBinding.bind(task, gpu.addresses()[0]);
        }
      }
    };
  }

  private static void useSystemClockForTrainingStats() {
    if (System.getProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY) == null) {
      System.setProperty(
          TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY, SystemClockTimeSource.class.getName());
    }
  }
}
