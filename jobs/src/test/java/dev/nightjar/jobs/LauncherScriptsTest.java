package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts in {@code submit/} as processes, without Spark: their option parsing, and the command
 * nightjar-submit.sh would run, which {@code NIGHTJAR_DRY_RUN=1} prints one argument a line.
 */
class LauncherScriptsTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  /**
   * Every shell script of the repository, relative to it; the sourced settings files are separate.
   */
  private static final List<String> SCRIPTS = scripts();

  @TempDir Path work;
  private Path jobJar;
  private Map<String, String> environment;

  private record Run(int exitCode, String output) {
    List<String> lines() {
      return output.lines().toList();
    }
  }

  private static List<String> scripts() {
    try (Stream<Path> files = Files.walk(REPO.resolve("submit"))) {
      List<String> scripts =
          new ArrayList<>(
              files
                  .filter(file -> file.toString().endsWith(".sh"))
                  .map(file -> REPO.relativize(file).toString())
                  .sorted()
                  .toList());
      scripts.add(".ci/run");
      scripts.add("docker/entrypoint.sh");
      return scripts;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A Spark home of no jars and an empty job jar: enough for a dry run, which checks that they
   * exist.
   */
  @BeforeEach
  void fakeBuild() throws IOException {
    Files.createDirectories(work.resolve("spark-home/jars"));
    jobJar = Files.createFile(work.resolve("job.jar"));
    environment =
        new HashMap<>(
            Map.of(
                "SPARK_HOME",
                work.resolve("spark-home").toString(),
                "NIGHTJAR_JOB_JAR",
                jobJar.toString(),
                "NIGHTJAR_DRY_RUN",
                "1",
                "NIGHTJAR_LOG_DIR",
                work.resolve("logs").toString()));
  }

  private Run run(Path script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("NIGHTJAR_") || name.equals("SPARK_HOME"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished: %s", command).isTrue();
    return new Run(process.exitValue(), output);
  }

  private Run run(String script, String... args) throws Exception {
    return run(REPO.resolve(script), args);
  }

  /** The arguments nightjar-submit.sh would pass to Spark's launcher, from a dry run's output. */
  private static List<String> launcherArgs(Run run) {
    assertThat(run.exitCode()).as(run.output()).isZero();
    List<String> lines = run.lines();
    return lines.subList(lines.indexOf("org.apache.spark.deploy.SparkSubmit") + 1, lines.size());
  }

  /** What the submitted class is given: the arguments after the jar. */
  private static List<String> applicationArgs(List<String> launcherArgs, Path jar) {
    return launcherArgs.subList(launcherArgs.indexOf(jar.toString()) + 1, launcherArgs.size());
  }

  private static String valueOf(List<String> args, String option) {
    assertThat(args).as("arguments").contains(option);
    return args.get(args.indexOf(option) + 1);
  }

  private static List<String> settings(List<String> args) {
    List<String> settings = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      if (args.get(i - 1).equals("--conf")) {
        settings.add(args.get(i));
      }
    }
    return settings;
  }

  @Test
  void everyScriptParses() throws Exception {
    for (String script : SCRIPTS) {
      Process process =
          new ProcessBuilder("bash", "-n", REPO.resolve(script).toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.waitFor()).as(script + ": " + output).isZero();
    }
  }

  @Test
  void scriptsAreShellcheckClean() throws Exception {
    assumeTrue(onPath("shellcheck"), "shellcheck is not installed");
    List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources"));
    command.addAll(SCRIPTS);
    try (Stream<Path> env =
        Stream.concat(
            Files.list(REPO.resolve("submit/profiles")),
            Stream.of(REPO.resolve("submit/security/spark-security.env")))) {
      env.map(path -> REPO.relativize(path).toString()).sorted().forEach(command::add);
    }
    Process process =
        new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }

  @Test
  void optionWithoutItsValueFailsWithOneLine() throws Exception {
    Map<String, List<String>> options =
        Map.of(
            "submit/nightjar-submit.sh",
                List.of(
                    "--profile",
                    "--master",
                    "--deploy-mode",
                    "--executor-memory",
                    "--executor-offheap",
                    "--executor-cores",
                    "--gpus",
                    "--driver-memory",
                    "--driver-offheap",
                    "--principal",
                    "--keytab",
                    "--spark-conf"),
            "submit/pipeline.sh",
                List.of("--output", "--date", "--data", "--conf", "--master", "--driver-memory"),
            "submit/nightly.sh", List.of("--date"),
            "submit/bench.sh", List.of("--fashion-mnist"));
    options.forEach(
        (script, names) -> {
          String name = Path.of(script).getFileName().toString().replace(".sh", "");
          String[] before = script.endsWith("bench.sh") ? new String[] {"load"} : new String[0];
          for (String option : names) {
            for (List<String> after : List.of(List.<String>of(), List.of("--output", "/tmp/x"))) {
              List<String> args = new ArrayList<>(List.of(before));
              args.add(option);
              args.addAll(after);
              Run run = uncheck(() -> run(script, args.toArray(String[]::new)));
              assertThat(run.exitCode()).as("%s %s", script, args).isEqualTo(2);
              assertThat(run.lines())
                  .as("%s %s", script, args)
                  .containsExactly(name + ": " + option + " needs a value");
            }
          }
        });
  }

  private interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T uncheck(Call<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void profileMayComeAnywhereBeforeTheStageAndTheOtherOptionsWin() throws Exception {
    List<String> last =
        launcherArgs(
            run(
                "submit/nightjar-submit.sh",
                "--master",
                "local[2]",
                "--driver-memory",
                "3g",
                "--spark-conf",
                "spark.yarn.queue=night",
                "--profile",
                "yarn",
                "train",
                "--date",
                "2026-01-01"));
    List<String> first =
        launcherArgs(
            run(
                "submit/nightjar-submit.sh",
                "--profile",
                "yarn",
                "--master",
                "local[2]",
                "--driver-memory",
                "3g",
                "--spark-conf",
                "spark.yarn.queue=night",
                "train",
                "--date",
                "2026-01-01"));

    assertThat(last).isEqualTo(first);
    assertThat(valueOf(last, "--master")).isEqualTo("local[2]");
    assertThat(valueOf(last, "--deploy-mode")).as("the profile's").isEqualTo("cluster");
    assertThat(settings(last))
        .contains("spark.driver.memory=3g", "spark.executor.memory=8g", "spark.authenticate=true");
    List<String> settings = settings(last);
    assertThat(settings.lastIndexOf("spark.yarn.queue=night"))
        .as("the user's setting after the profile's")
        .isGreaterThan(settings.indexOf("spark.yarn.queue=default"));
  }

  @Test
  void stageIsTheEntryClassFirstArgument() throws Exception {
    List<String> args =
        launcherArgs(
            run(
                "submit/nightjar-submit.sh",
                "--executor-cores",
                "2",
                "optimize",
                "--date",
                "2026-01-01"));

    assertThat(valueOf(args, "--class")).isEqualTo("dev.nightjar.jobs.NightjarMain");
    assertThat(applicationArgs(args, jobJar)).containsExactly("optimize", "--date", "2026-01-01");
    assertThat(settings(args)).contains("spark.executor.cores=2");
  }

  @Test
  void anotherJarAndClassComeFromTheEnvironment() throws Exception {
    Path jar = Files.createFile(work.resolve("other.jar"));
    environment.putAll(
        Map.of("NIGHTJAR_JOB_JAR", jar.toString(), "NIGHTJAR_MAIN_CLASS", "org.example.Main"));

    List<String> args = launcherArgs(run("submit/nightjar-submit.sh", "anything", "--flag"));

    assertThat(valueOf(args, "--class")).isEqualTo("org.example.Main");
    assertThat(applicationArgs(args, jar)).containsExactly("anything", "--flag");
  }

  @Test
  void driverMemoryAndOffHeapSetTheLocalJvm() throws Exception {
    Run run =
        run(
            "submit/nightjar-submit.sh",
            "--driver-offheap",
            "6g",
            "--driver-memory",
            "8g",
            "train");
    List<String> jvm =
        run.lines().subList(0, run.lines().indexOf("org.apache.spark.deploy.SparkSubmit"));

    assertThat(jvm)
        .contains(
            "-Xmx8g",
            "-Dorg.bytedeco.javacpp.maxbytes=6G",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=15G")
        .containsAll(Files.readAllLines(REPO.resolve("submit/lib/java17-opens")));
  }

  @Test
  void pipelineLeavesADataSourceGivenWithConfAlone() throws Exception {
    List<String> args =
        applicationArgs(
            launcherArgs(
                run("submit/pipeline.sh", "--conf", "data.source=/x", "--date", "2026-01-01")),
            jobJar);

    assertThat(args).startsWith("pipeline").contains("data.source=/x").doesNotContain("--data");
    assertThat(
            applicationArgs(
                launcherArgs(run("submit/pipeline.sh", "--conf", "nightjar.data.source=/x")),
                jobJar))
        .doesNotContain("--data");
  }

  @Test
  void pipelinePassesDataWhenGivenOrForTheDefaultDataSet() throws Exception {
    List<String> given =
        applicationArgs(
            launcherArgs(run("submit/pipeline.sh", "--conf", "data.source=/x", "--data", "/y")),
            jobJar);
    assertThat(valueOf(given, "--data")).isEqualTo("/y");

    Path installed = Files.createDirectories(work.resolve("fashion-mnist"));
    Files.createFile(installed.resolve("train-images-idx3-ubyte.gz"));
    environment.put("NIGHTJAR_FASHION_MNIST", installed.toString());
    List<String> none =
        applicationArgs(
            launcherArgs(run("submit/pipeline.sh", "--conf", "train.epochs=1")), jobJar);
    assertThat(valueOf(none, "--data")).isEqualTo(installed.toString());
  }

  @Test
  void nightlyPassesAMasterOnlyFromNightjarMaster() throws Exception {
    assertThat(valueOf(nightly(Map.of()), "--master")).isEqualTo("local[*]");
    assertThat(valueOf(nightly(Map.of("NIGHTJAR_PROFILE", "yarn")), "--master")).isEqualTo("yarn");
    assertThat(
            valueOf(
                nightly(Map.of("NIGHTJAR_PROFILE", "yarn", "NIGHTJAR_MASTER", "local[2]")),
                "--master"))
        .isEqualTo("local[2]");
    List<String> args =
        nightly(Map.of("NIGHTJAR_SUBMIT_OPTS", "--driver-memory 3g  --executor-cores 2"));
    assertThat(settings(args)).contains("spark.driver.memory=3g", "spark.executor.cores=2");
    assertThat(applicationArgs(args, jobJar))
        .containsExactly(
            "pipeline",
            "--output",
            work.resolve("output").toString(),
            "--date",
            "2026-03-04",
            "--force",
            "train");
  }

  /** nightly.sh for 2026-03-04 with {@code settings}: the launcher's arguments, from its log. */
  private List<String> nightly(Map<String, String> settings) throws Exception {
    environment
        .keySet()
        .removeAll(List.of("NIGHTJAR_PROFILE", "NIGHTJAR_MASTER", "NIGHTJAR_SUBMIT_OPTS"));
    environment.putAll(settings);
    environment.put("NIGHTJAR_OUTPUT", work.resolve("output").toString());
    Path log = work.resolve("logs/nightjar-2026-03-04.log");
    Files.deleteIfExists(log);
    Run run = run("submit/nightly.sh", "--date", "2026-03-04", "--force", "train");
    assertThat(run.exitCode()).as(run.output()).isZero();
    List<String> lines = Files.readAllLines(log);
    assertThat(lines.get(lines.size() - 1)).endsWith("exit code 0");
    return launcherArgs(new Run(0, String.join("\n", lines.subList(1, lines.size() - 1))));
  }

  @Test
  void jobJarUrisPassThroughAndOnlyFilesAreChecked() throws Exception {
    for (String uri :
        List.of(
            "local:///opt/nightjar/jars/job.jar",
            "hdfs://namenode:8020/jars/job.jar",
            "s3a://bucket/jars/job.jar")) {
      environment.put("NIGHTJAR_JOB_JAR", uri);
      List<String> args = launcherArgs(run("submit/nightjar-submit.sh", "train"));
      assertThat(args.subList(args.size() - 2, args.size())).containsExactly(uri, "train");
    }
    environment.put("NIGHTJAR_JOB_JAR", "file://" + jobJar);
    assertThat(launcherArgs(run("submit/nightjar-submit.sh", "train")))
        .contains("file://" + jobJar);
    for (String missing : List.of("file://" + work.resolve("none.jar"), "/no/such/job.jar")) {
      environment.put("NIGHTJAR_JOB_JAR", missing);
      Run run = run("submit/nightjar-submit.sh", "train");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.output().strip())
          .isEqualTo("nightjar-submit: job jar not found: " + missing + " (NIGHTJAR_JOB_JAR)");
    }
  }

  @Test
  void kubernetesRefusesToGuessTheImage() throws Exception {
    Run run = run("submit/nightjar-submit.sh", "--profile", "k8s", "train");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output().strip())
        .isEqualTo(
            "nightjar-submit: no image for k8s://https://kubernetes.default.svc: set"
                + " NIGHTJAR_IMAGE to the job image built from docker/Dockerfile"
                + " (docs/kubernetes.md)");
  }

  @Test
  void kubernetesClusterModeRunsTheImageJarAndClientModeTheBuildOne() throws Exception {
    environment.remove("NIGHTJAR_JOB_JAR");
    environment.put("NIGHTJAR_IMAGE", "registry.example.com/nightjar:1");
    List<String> cluster =
        launcherArgs(run("submit/nightjar-submit.sh", "--profile", "k8s", "train"));
    assertThat(cluster.subList(cluster.size() - 2, cluster.size()))
        .containsExactly("local:///opt/nightjar/jars/nightjar-jobs-job.jar", "train");
    assertThat(settings(cluster))
        .contains(
            "spark.kubernetes.container.image=registry.example.com/nightjar:1",
            "spark.authenticate.secret.driver.file=/etc/nightjar/spark-auth/secret",
            "spark.authenticate.secret.executor.file=/etc/nightjar/spark-auth/secret");

    // A pod's driver fetches shipped files under their own names: one that would clash is refused.
    Path clashing =
        Files.writeString(
            Files.createDirectories(work.resolve("env")).resolve("nightjar.conf"), "");
    Run clash =
        run(
            "submit/nightjar-submit.sh",
            "--profile",
            "k8s",
            "train",
            "--env-file",
            clashing.toString());
    assertThat(clash.exitCode()).isEqualTo(2);
    assertThat(clash.output()).contains("give it another name").hasLineCount(1);

    // In client mode the driver is here: the build's jar, and the secret from a file here.
    environment.put("NIGHTJAR_JOB_JAR", jobJar.toString());
    String[] clientMode = {"--profile", "k8s", "--deploy-mode", "client", "train"};
    Run withoutSecret = run("submit/nightjar-submit.sh", clientMode);
    assertThat(withoutSecret.exitCode()).isEqualTo(2);
    assertThat(withoutSecret.output()).contains("NIGHTJAR_SPARK_SECRET_FILE").hasLineCount(1);
    Path secret = Files.writeString(work.resolve("secret"), "not-a-secret");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    environment.put("NIGHTJAR_SPARK_SECRET_FILE", secret.toString());
    List<String> client = launcherArgs(run("submit/nightjar-submit.sh", clientMode));
    assertThat(client.subList(client.size() - 2, client.size()))
        .containsExactly(jobJar.toString(), "train");
    // The last value of a setting is the one spark-submit keeps.
    assertThat(settings(client))
        .filteredOn(setting -> setting.startsWith("spark.authenticate.secret.driver.file="))
        .last()
        .isEqualTo("spark.authenticate.secret.driver.file=" + secret);
  }

  @Test
  void gpusAreOneAmountWhateverTheProfile() throws Exception {
    environment.put("NIGHTJAR_SPARK_SECRET", "not-a-secret");
    environment.put("NIGHTJAR_IMAGE", "registry.example.com/nightjar-gpu:1");
    for (String profile : List.of("local-gpu", "standalone-gpu", "yarn-gpu", "k8s-gpu")) {
      List<String> settings =
          settings(launcherArgs(run("submit/nightjar-submit.sh", "--profile", profile, "train")));
      assertThat(settings)
          .as(profile)
          .filteredOn(
              setting -> setting.matches("spark\\.(executor|driver|yarn)\\..*gpu\\.amount=.*"))
          .hasSize(1);
      assertThat(settings)
          .as(profile)
          .filteredOn(setting -> setting.startsWith("spark.task.resource.gpu.amount="))
          .hasSize(1);
    }
    List<String> yarn =
        launcherArgs(run("submit/nightjar-submit.sh", "--profile", "yarn-gpu", "train"));
    assertThat(settings(yarn))
        .contains(
            "spark.executor.resource.gpu.amount=1",
            "spark.executor.resource.gpu.discoveryScript=./discover-gpus.sh")
        .noneMatch(setting -> setting.contains("yarn.io/gpu"));
    assertThat(valueOf(yarn, "--files").split(","))
        .contains(REPO.resolve("submit/gpu/discover-gpus.sh") + "#discover-gpus.sh");
    List<String> k8s =
        launcherArgs(run("submit/nightjar-submit.sh", "--profile", "k8s-gpu", "train"));
    assertThat(settings(k8s))
        .as("an executor pod finds its GPUs as it starts, with the image's script")
        .contains(
            "spark.executor.resource.gpu.discoveryScript=/opt/nightjar/gpu/discover-gpus.sh",
            "spark.executor.resource.gpu.vendor=nvidia.com");
    assertThat(valueOf(k8s, "--files")).doesNotContain("discover-gpus.sh");
    List<String> standalone =
        launcherArgs(run("submit/nightjar-submit.sh", "--profile", "standalone-gpu", "train"));
    assertThat(valueOf(standalone, "--files"))
        .as("a file keeps its name off YARN")
        .isEqualTo(REPO.resolve("submit/gpu/discover-gpus.sh").toString());

    List<String> none =
        settings(launcherArgs(run("submit/nightjar-submit.sh", "--profile", "yarn", "train")));
    assertThat(none).noneMatch(setting -> setting.contains("gpu"));
  }

  /** A Spark home whose spark-submit only says it ran, for runs that are not dry. */
  private void stubSparkSubmit() throws IOException {
    Path bin = Files.createDirectories(work.resolve("spark-home/bin"));
    Files.writeString(
        bin.resolve("spark-submit"), "#!/usr/bin/env bash\necho \"spark-submit ran\"\n");
    Files.setPosixFilePermissions(
        bin.resolve("spark-submit"), PosixFilePermissions.fromString("rwx------"));
    environment.remove("NIGHTJAR_DRY_RUN");
  }

  @Test
  void aLocalEventLogFolderIsCreatedOrRefusedInOneLine() throws Exception {
    stubSparkSubmit();
    for (String profile : List.of("local", "standalone")) {
      Path events = work.resolve("events-" + profile + "/nested");
      environment.putAll(
          Map.of(
              "NIGHTJAR_EVENT_LOG_DIR",
              profile.equals("local") ? events.toString() : "file://" + events,
              "NIGHTJAR_SPARK_SECRET",
              "not-a-secret"));
      Run run = run("submit/nightjar-submit.sh", "--profile", profile, "train");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(events).as(profile).isDirectory();
    }

    environment.put("NIGHTJAR_EVENT_LOG_DIR", "/proc/no-such-folder");
    Run refused = run("submit/nightjar-submit.sh", "--profile", "local", "train");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.lines())
        .containsExactly(
            "nightjar-submit: cannot create the event log folder /proc/no-such-folder "
                + "(spark.eventLog.dir): set NIGHTJAR_EVENT_LOG_DIR to a folder you may write");
  }

  @Test
  void yarnClusterModeRefusesSettingsFilesItCannotShip() throws Exception {
    Run envFile =
        run(
            "submit/nightjar-submit.sh",
            "--profile",
            "yarn",
            "train",
            "--env-file",
            work.resolve("missing.conf").toString());
    assertThat(envFile.exitCode()).isEqualTo(2);
    assertThat(envFile.lines())
        .containsExactly(
            "nightjar-submit: cannot read "
                + work.resolve("missing.conf")
                + ", which the job needs in the cluster");

    Run confDir =
        run(
            "submit/nightjar-submit.sh",
            "--profile",
            "yarn",
            "train",
            "--conf-dir=" + work.resolve("nothing"));
    assertThat(confDir.exitCode()).isEqualTo(2);
    assertThat(confDir.lines())
        .containsExactly(
            "nightjar-submit: --conf-dir " + work.resolve("nothing") + ": no such folder");

    // In client mode the driver reads them where they are.
    List<String> client =
        launcherArgs(
            run(
                "submit/nightjar-submit.sh",
                "--profile",
                "yarn",
                "--deploy-mode",
                "client",
                "train",
                "--conf-dir",
                work.toString()));
    assertThat(applicationArgs(client, jobJar))
        .containsExactly("train", "--conf-dir", work.toString());
    assertThat(valueOf(client, "--files"))
        .isEqualTo(REPO.resolve("conf/log4j2.properties") + "#log4j2.properties");
  }

  /** A copy of submit/ in a repository of its own, where the build's outputs can be made up. */
  private Path repoCopy() throws IOException {
    Path copy = work.resolve("repo");
    try (Stream<Path> files = Files.walk(REPO.resolve("submit"))) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(REPO.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return copy;
  }

  @Test
  void benchRunsItsJarThroughNightjarSubmit() throws Exception {
    Path copy = repoCopy();
    Path jar =
        Files.createFile(
            Files.createDirectories(copy.resolve("bench/target"))
                .resolve("nightjar-bench-0.1.0-SNAPSHOT.jar"));

    Run run =
        run(copy.resolve("submit/bench.sh"), "load", "--workers", "2", "--fashion-mnist", "/data");
    List<String> args = launcherArgs(run);

    assertThat(valueOf(args, "--class")).isEqualTo("dev.nightjar.bench.BenchJob");
    assertThat(args).as("the benchmarks run beside the job jar").contains("spark.jars=" + jobJar);
    assertThat(valueOf(args, "--master")).isEqualTo("local[2]");
    assertThat(applicationArgs(args, jar))
        .containsExactly("load", "--fashion-mnist", "/data", "--workers", "2");
    assertThat(run.lines()).contains("-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=6G");
  }

  @Test
  void benchWithoutItsJarBuildsThenFailsWithOneLine() throws Exception {
    Path copy = repoCopy();
    Path bin = Files.createDirectories(work.resolve("bin"));
    Files.writeString(
        bin.resolve("mvn"),
        "#!/usr/bin/env bash\necho \"mvn $*\" >> " + work.resolve("mvn.log") + "\n");
    Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwx------"));
    environment.put("PATH", bin + ":" + System.getenv("PATH"));

    Run run = run(copy.resolve("submit/bench.sh"), "train", "--fashion-mnist", "/data");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(work.resolve("mvn.log")).content().isEqualTo("mvn -B -q -DskipTests package\n");
    assertThat(run.lines())
        .filteredOn(line -> line.startsWith("bench: "))
        .hasSize(1)
        .allMatch(line -> line.contains("bench/target/nightjar-bench-*.jar"));
  }
}
