package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.jobs.cluster.StandaloneCluster;
import dev.nightjar.spark.GpuBinding;
import dev.nightjar.spark.NightjarPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU scheduling and binding without a GPU: a standalone worker offers two fake GPUs (its discovery
 * script reports addresses 0 and 1), an executor with two cores runs two tasks at a time, and each
 * task must be bound by {@link NightjarPlugin} to the GPU Spark assigned it.
 */
class GpuBindingIT {
  @TempDir Path work;

  /**
   * What one task saw: its executor, the GPU Spark assigned it, the one its thread was bound to,
   * and when it ran.
   */
  record TaskView(String executor, String assigned, String bound, long start, long end)
      implements java.io.Serializable {
    boolean overlaps(TaskView other) {
      return executor.equals(other.executor) && start < other.end && other.start < end;
    }
  }

  @Test
  void concurrentTasksAreBoundToTheirOwnGpus() throws Exception {
    Path sparkHome = Path.of(System.getProperty("nightjar.sparkHome"));
    String discovery = Path.of(getClass().getResource("/fake-gpus.sh").toURI()).toString();
    Map<String, String> gpus =
        Map.of(
            "spark.worker.resource.gpu.amount",
            "2",
            "spark.worker.resource.gpu.discoveryScript",
            discovery);
    try (StandaloneCluster cluster =
            StandaloneCluster.start(
                sparkHome, Files.createDirectories(work.resolve("cluster")), 1, 2, "2g", gpus);
        SparkSession spark =
            SparkSession.builder()
                .master(cluster.masterUrl())
                .appName("gpu-binding")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config(
                    "spark.jars",
                    System.getProperty("nightjar.jobJar")
                        + ","
                        + System.getProperty("nightjar.testJar"))
                .config("spark.plugins", NightjarPlugin.class.getName())
                .config("spark.executor.cores", "2")
                .config("spark.executor.memory", "1g")
                .config("spark.executor.resource.gpu.amount", "2")
                .config("spark.task.resource.gpu.amount", "1")
                .getOrCreate()) {
      List<TaskView> tasks =
          JavaSparkContext.fromSparkContext(spark.sparkContext())
              .parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
              .mapPartitions(GpuBindingIT::observe)
              .collect();

      assertThat(tasks).hasSize(8);
      for (TaskView task : tasks) {
        assertThat(task.assigned()).as("Spark assigned a fake GPU").isIn("0", "1");
        assertThat(task.bound())
            .as("the thread was bound to the assigned GPU")
            .isEqualTo(task.assigned());
      }
      List<TaskView[]> concurrent = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        for (int j = i + 1; j < tasks.size(); j++) {
          if (tasks.get(i).overlaps(tasks.get(j))) {
            concurrent.add(new TaskView[] {tasks.get(i), tasks.get(j)});
          }
        }
      }
      assertThat(concurrent).as("tasks ran two at a time").isNotEmpty();
      assertThat(concurrent)
          .allSatisfy(pair -> assertThat(pair[0].assigned()).isNotEqualTo(pair[1].assigned()));
    }
  }

  private static java.util.Iterator<TaskView> observe(java.util.Iterator<Integer> ignored)
      throws InterruptedException {
    long start = System.currentTimeMillis();
    Thread.sleep(1500);
    TaskContext task = TaskContext.get();
    String assigned = task.resources().get("gpu").get().addresses()[0];
    TaskView view =
        new TaskView(
            SparkEnv.get().executorId(),
            assigned,
            GpuBinding.currentAddress(),
            start,
            System.currentTimeMillis());
    return List.of(view).iterator();
  }
}
