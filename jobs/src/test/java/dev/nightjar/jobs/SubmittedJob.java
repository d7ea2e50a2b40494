package dev.nightjar.jobs;

import dev.nightjar.jobs.cluster.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A job launched through {@code submit/nightjar-submit.sh} as its own JVM, logging to a file. */
final class SubmittedJob {
  /** The repository, whose submit/ and conf/ folders the jobs are launched with. */
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  private final Process process;
  private final Path log;

  private SubmittedJob(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code nightjar-submit.sh ARGS}, with the build's Spark home and job jar. */
  static SubmittedJob start(Path log, List<String> args) throws IOException {
    return start(log, args, Map.of());
  }

  /**
   * Starts {@code nightjar-submit.sh ARGS} with {@code environment} added, e.g. a cluster's secret
   * or {@code NIGHTJAR_CONF_DIR}.
   */
  static SubmittedJob start(Path log, List<String> args, Map<String, String> environment)
      throws IOException {
    List<String> command =
        new ArrayList<>(List.of("bash", REPO.resolve("submit/nightjar-submit.sh").toString()));
    command.addAll(args);
    Path sparkHome = Path.of(System.getProperty("nightjar.sparkHome"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(StandaloneCluster.environment(sparkHome));
    builder.environment().put("NIGHTJAR_JOB_JAR", System.getProperty("nightjar.jobJar"));
    builder.environment().putAll(environment);
    return new SubmittedJob(builder.start(), log);
  }

  /** The launcher's process, which becomes the driver JVM when the script execs java. */
  Process process() {
    return process;
  }

  /**
   * Waits for the job and returns its exit code; a job still running after the timeout is killed.
   */
  int await(long minutes) throws IOException, InterruptedException {
    if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
      appendThreadDumps();
      kill();
      throw new AssertionError("the job did not finish in " + minutes + " minutes; log:\n" + log());
    }
    return process.exitValue();
  }

  /** Appends the stuck JVMs' threads to the log, so that a hang can be read after the fact. */
  private void appendThreadDumps() throws IOException, InterruptedException {
    List<ProcessHandle> jvms = new ArrayList<>(process.descendants().toList());
    jvms.add(process.toHandle());
    for (ProcessHandle jvm : jvms) {
      Process jstack =
          new ProcessBuilder("jstack", Long.toString(jvm.pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      jstack.waitFor(30, TimeUnit.SECONDS);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the driver JVM at once (the script execs java, so this is the JVM), as a crash would. */
  void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
  }

  String log() throws IOException {
    return Files.readString(log);
  }
}
