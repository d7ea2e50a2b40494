package dev.nightjar.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the executor JVMs of a standalone cluster say about their tasks in their own logs ({@code
 * worker-dir/app-id/executor-id/stderr}): Spark's Executor logs every task's start and, just before
 * it reports a success to the driver, its end. A task whose start is logged and whose end is not is
 * running, or, once its JVM is dead, was lost with it; a fault test kills a JVM when it runs a task
 * and proves from its log that the task was in flight.
 */
public final class ExecutorLogs {
  private static final Pattern STARTED =
      Pattern.compile("Running task \\S+ in stage (\\d+)\\.\\d+ \\(TID (\\d+)\\)");
  private static final Pattern FINISHED =
      Pattern.compile("Finished task \\S+ in stage \\d+\\.\\d+ \\(TID (\\d+)\\)");

  /**
   * What the executors' log settings need, on top of Nightjar's, for their logs to tell the tasks.
   */
  private static final String TASK_LOGGING =
      """

      # Fault tests read each task's start and end from the executors' logs.
      logger.sparkexecutor.name = org.apache.spark.executor.Executor
      logger.sparkexecutor.level = info
      """;

  /**
   * A task of stage {@code stageId} of {@code appId} started on executor {@code executorId}, which
   * worker {@code worker} launched.
   */
  public record Task(String appId, int worker, String executorId, int stageId, long taskId) {}

  private final StandaloneCluster cluster;

  public ExecutorLogs(StandaloneCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * A copy of the Nightjar configuration folder {@code conf} (nightjar.conf, log4j2.properties,
   * ...) in {@code dir}, whose log settings make executors log their tasks. Jobs read it through
   * {@code NIGHTJAR_CONF_DIR}.
   */
  public static Path confWithTaskLogging(Path conf, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(conf)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(log4j, Files.readString(log4j) + TASK_LOGGING);
    return dir;
  }

  /** Whether the task's executor logged its end, i.e. reported it done to the driver. */
  public boolean finished(Task task) throws IOException {
    return finishedTaskIds(log(task.worker(), task.appId(), task.executorId()))
        .contains(task.taskId());
  }

  /**
   * The tasks of stage {@code stageId} of {@code appId} whose executors logged their start and not
   * their end.
   */
  public List<Task> running(String appId, int stageId) throws IOException {
    List<Task> running = new ArrayList<>();
    for (int worker = 0; worker < cluster.workerCount(); worker++) {
      Path appDir = cluster.workerDir(worker).resolve(appId);
      if (!Files.isDirectory(appDir)) {
        continue;
      }
      try (Stream<Path> executors = Files.list(appDir)) {
        for (Path executor : executors.filter(Files::isDirectory).toList()) {
          String text = read(executor.resolve("stderr"));
          List<Long> finished = finishedTaskIds(text);
          Matcher started = STARTED.matcher(text);
          while (started.find()) {
            long taskId = Long.parseLong(started.group(2));
            if (Integer.parseInt(started.group(1)) == stageId && !finished.contains(taskId)) {
              running.add(
                  new Task(appId, worker, executor.getFileName().toString(), stageId, taskId));
            }
          }
        }
      }
    }
    return running;
  }

  private String log(int worker, String appId, String executorId) throws IOException {
    return read(cluster.workerDir(worker).resolve(appId).resolve(executorId).resolve("stderr"));
  }

  private static List<Long> finishedTaskIds(String log) {
    List<Long> ids = new ArrayList<>();
    Matcher finished = FINISHED.matcher(log);
    while (finished.find()) {
      ids.add(Long.parseLong(finished.group(1)));
    }
    return ids;
  }

  private static String read(Path file) throws IOException {
    // Leniently decoded: the executor may be writing a character's bytes right now.
    return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
  }
}
