package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job image's entry point (docker/entrypoint.sh) outside a container: with the environment and
 * arguments Spark gives its driver and executor pods, the java command it runs. The image's JVM is
 * a stand-in that prints its arguments, except for Spark's launcher library, which runs for real.
 */
class ImageEntrypointTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path work;
  private Map<String, String> environment;

  @BeforeEach
  void fakeImage() throws Exception {
    Path jars = Files.createDirectories(work.resolve("spark/jars"));
    // spark-launcher, the jar of Spark's launcher library (SparkLauncher beside its Main).
    Path launcher =
        Path.of(
            org.apache.spark.launcher.SparkLauncher.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    Files.copy(launcher, jars.resolve(launcher.getFileName()));
    Path lib = Files.createDirectories(work.resolve("nightjar/lib"));
    Files.copy(REPO.resolve("submit/lib/java17-opens"), lib.resolve("java17-opens"));
    Path bin = Files.createDirectories(work.resolve("jdk/bin"));
    String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        bin.resolve("java"),
        "#!/usr/bin/env bash\n"
            + "for arg in \"$@\"; do\n"
            + "  [[ \"$arg\" != org.apache.spark.launcher.Main ]] || exec "
            + realJava
            + " \"$@\"\n"
            + "done\n"
            + "printf 'jvm\\n'; printf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(
        bin.resolve("java"), PosixFilePermissions.fromString("rwx------"));
    environment =
        new HashMap<>(
            Map.of(
                "JAVA_HOME", work.resolve("jdk").toString(),
                "SPARK_HOME", work.resolve("spark").toString(),
                "SPARK_SCALA_VERSION", "2.12",
                "NIGHTJAR_HOME", work.resolve("nightjar").toString()));
  }

  @Test
  void driverRunsSparkSubmitInClientModeWithTheDriversMemoryAndOptions() throws Exception {
    Path properties =
        Files.writeString(
            work.resolve("spark.properties"),
            "spark.driver.memory=4g\n"
                + "spark.driver.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=4G\n");
    environment.put("SPARK_DRIVER_BIND_ADDRESS", "10.1.2.3");

    List<String> jvm =
        run(
            "driver",
            "--properties-file",
            properties.toString(),
            "--class",
            "dev.nightjar.jobs.NightjarMain",
            "spark-internal",
            "pipeline",
            "--date",
            "2026-01-01");

    assertThat(jvm)
        .contains("-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=4G")
        .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
        .containsSubsequence("org.apache.spark.deploy.SparkSubmit", "--deploy-mode", "client")
        .containsSubsequence("--conf", "spark.driver.bindAddress=10.1.2.3")
        .endsWith(
            "--properties-file",
            properties.toString(),
            "--class",
            "dev.nightjar.jobs.NightjarMain",
            "spark-internal",
            "pipeline",
            "--date",
            "2026-01-01");
  }

  @Test
  void executorRunsTheKubernetesBackendWithItsOptionsInOrder() throws Exception {
    for (int i = 0; i < 12; i++) {
      environment.put("SPARK_JAVA_OPT_" + i, "-Dopt" + i + "=x");
    }
    environment.putAll(
        Map.of(
            "SPARK_EXECUTOR_MEMORY", "8g",
            "SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@driver-svc:7078",
            "SPARK_EXECUTOR_ID", "3",
            "SPARK_EXECUTOR_CORES", "1",
            "SPARK_APPLICATION_ID", "spark-app-1",
            "SPARK_EXECUTOR_POD_IP", "10.0.0.5",
            "SPARK_RESOURCE_PROFILE_ID", "0",
            "SPARK_EXECUTOR_POD_NAME", "nightjar-exec-3"));

    List<String> jvm = run("executor");

    assertThat(jvm)
        .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
        .containsSubsequence("-Xms8g", "-Xmx8g")
        .containsSubsequence(
            "-Dopt0=x", "-Dopt1=x", "-Dopt2=x", "-Dopt9=x", "-Dopt10=x", "-Dopt11=x")
        .containsSubsequence(
            "-cp",
            work.resolve("spark/jars") + "/*",
            "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend",
            "--driver-url",
            "spark://CoarseGrainedScheduler@driver-svc:7078",
            "--executor-id",
            "3",
            "--cores",
            "1",
            "--app-id",
            "spark-app-1",
            "--hostname",
            "10.0.0.5",
            "--resourceProfileId",
            "0",
            "--podName",
            "nightjar-exec-3");
  }

  /** The arguments the image's JVM was started with. */
  private List<String> run(String... args) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(
                            "bash", REPO.resolve("docker/entrypoint.sh").toString()),
                        java.util.stream.Stream.of(args))
                    .toList())
            .directory(work.toFile())
            .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("SPARK_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    List<String> lines = output.lines().toList();
    assertThat(lines).as(output).contains("jvm");
    return lines.subList(lines.indexOf("jvm") + 1, lines.size());
  }
}
