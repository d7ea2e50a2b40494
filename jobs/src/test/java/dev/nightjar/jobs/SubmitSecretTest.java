package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code submit/nightjar-submit.sh} hands a standalone cluster's secret to Spark: through a
 * private properties file that is already deleted when Spark reads it, never on a command line or
 * in the environment; and not at all in local mode. A stand-in {@code bin/spark-submit} records
 * what it was given.
 */
class SubmitSecretTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final String RECORDING_SPARK_SUBMIT =
      """
      #!/usr/bin/env bash
      printf '%s\\n' "$@" > "$RECORD/args"
      env > "$RECORD/env"
      previous=""
      for arg in "$@"; do
        if [[ "$previous" == --properties-file ]]; then
          readlink -f "$arg" > "$RECORD/properties-target" || true
          ls -lL "$arg" > "$RECORD/properties-mode"
          cat "$arg" > "$RECORD/properties"
        fi
        previous="$arg"
      done
      """;

  @TempDir Path work;
  private Path record;
  private Path tmp;
  private final String secret = UUID.randomUUID().toString();

  @BeforeEach
  void fakeSparkHome() throws Exception {
    Path bin = Files.createDirectories(work.resolve("spark-home/bin"));
    Files.createDirectories(work.resolve("spark-home/jars"));
    Files.writeString(bin.resolve("spark-submit"), RECORDING_SPARK_SUBMIT);
    Files.setPosixFilePermissions(
        bin.resolve("spark-submit"), PosixFilePermissions.fromString("rwx------"));
    Files.createFile(work.resolve("job.jar"));
    record = Files.createDirectories(work.resolve("record"));
    tmp = Files.createDirectories(work.resolve("tmp"));
  }

  private Path secretFile(String mode) throws Exception {
    Path file = work.resolve("spark-secret");
    Files.writeString(file, secret + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private record Run(int exitCode, String output) {}

  private Run submit(Map<String, String> environment, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", REPO.resolve("submit/nightjar-submit.sh").toString()));
    command.addAll(List.of(options));
    command.addAll(List.of("prepare", "--output", work.resolve("output").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .putAll(
            Map.of(
                "SPARK_HOME",
                work.resolve("spark-home").toString(),
                "NIGHTJAR_JOB_JAR",
                work.resolve("job.jar").toString(),
                "TMPDIR",
                tmp.toString(),
                "RECORD",
                record.toString()));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    return new Run(process.waitFor(), output);
  }

  @Test
  void secretFileReachesSparkOnlyThroughADeletedPrivateCopyOfTheProperties() throws Exception {
    Run run =
        submit(
            Map.of("NIGHTJAR_SPARK_SECRET_FILE", secretFile("rw-------").toString()),
            "--profile",
            "standalone",
            "--master",
            "spark://127.0.0.1:7077");

    assertThat(run.exitCode()).as(run.output()).isZero();
    List<String> args = Files.readAllLines(record.resolve("args"));
    assertThat(args).noneMatch(arg -> arg.contains(secret)).contains("spark.authenticate=true");
    assertThat(args.get(args.indexOf("--properties-file") + 1)).startsWith("/dev/fd/");
    assertThat(Files.readString(record.resolve("properties-target"))).contains("(deleted)");
    assertThat(Files.readString(record.resolve("properties-mode"))).startsWith("-rw-------");
    assertThat(record.resolve("properties"))
        .content()
        .contains("spark.network.timeout", "spark.authenticate.secret=" + secret);
    assertThat(Files.readString(record.resolve("env"))).doesNotContain(secret);
    assertThat(run.output()).doesNotContain(secret);
    try (var left = Files.list(tmp)) {
      assertThat(left).as("files left in TMPDIR").isEmpty();
    }
  }

  @Test
  void secretFromTheEnvironmentIsNotPassedOnToSpark() throws Exception {
    Run run =
        submit(
            Map.of("NIGHTJAR_SPARK_SECRET", secret),
            "--profile",
            "standalone",
            "--master",
            "spark://127.0.0.1:7077");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(record.resolve("properties"))
        .content()
        .contains("spark.authenticate.secret=" + secret);
    assertThat(Files.readString(record.resolve("args")) + Files.readString(record.resolve("env")))
        .doesNotContain(secret);
  }

  @Test
  void standaloneWithAuthenticationRefusesToStartWithoutAPrivateSecret() throws Exception {
    Run none = submit(Map.of(), "--profile", "standalone", "--master", "spark://127.0.0.1:7077");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.output()).contains("NIGHTJAR_SPARK_SECRET_FILE");

    Path readableByOthers = secretFile("rw-r--r--");
    Run shared =
        submit(
            Map.of("NIGHTJAR_SPARK_SECRET_FILE", readableByOthers.toString()),
            "--profile",
            "standalone");
    assertThat(shared.exitCode()).isEqualTo(2);
    assertThat(shared.output())
        .contains(readableByOthers.toString(), "chmod 600")
        .doesNotContain(secret);

    Run onCommandLine =
        submit(
            Map.of(),
            "--profile",
            "standalone",
            "--spark-conf",
            "spark.authenticate.secret=" + secret);
    assertThat(onCommandLine.exitCode()).isEqualTo(2);
    assertThat(onCommandLine.output()).contains("NIGHTJAR_SPARK_SECRET_FILE");

    assertThat(record.resolve("args")).as("spark-submit never ran").doesNotExist();
  }

  @Test
  void localModeNeedsNoSecret() throws Exception {
    Run run = submit(Map.of(), "--profile", "local");

    assertThat(run.exitCode()).as(run.output()).isZero();
    List<String> args = Files.readAllLines(record.resolve("args"));
    assertThat(args).noneMatch(arg -> arg.startsWith("spark.authenticate"));
    assertThat(args.get(args.indexOf("--properties-file") + 1))
        .isEqualTo(REPO.resolve("conf/spark-defaults.conf").toString());
  }
}
