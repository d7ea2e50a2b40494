package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.deploy.SparkSubmit;
import org.apache.spark.deploy.SparkSubmitArguments;
import org.apache.spark.deploy.yarn.ResourceRequestHelper$;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.Tuple2;
import scala.Tuple4;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Every profile's command line, as nightjar-submit.sh's dry run prints it, passes Spark's own
 * checks without a cluster: {@link SparkSubmitArguments} parses and validates it, spark-submit's
 * preparation turns it into the application's settings, {@code SparkConf.validateSettings} checks
 * those, and on YARN the resource requests pass the checks YARN's client makes before it submits.
 * (KubernetesSubmitTest goes on to submit the Kubernetes profiles to a mock API server.)
 */
class SubmitProfilesSparkTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path work;
  private Map<String, String> environment;

  @BeforeEach
  void fakeBuild() throws IOException {
    Files.createDirectories(work.resolve("spark-home/jars"));
    Path hadoopConf = Files.createDirectories(work.resolve("hadoop-conf"));
    // A Kubernetes driver on this host reads the secret the pods mount from a file here.
    Path secretFile = Files.writeString(work.resolve("secret"), "not-a-secret");
    Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
    environment =
        new HashMap<>(
            Map.of(
                "SPARK_HOME",
                work.resolve("spark-home").toString(),
                "NIGHTJAR_JOB_JAR",
                Files.createFile(work.resolve("job.jar")).toString(),
                "NIGHTJAR_DRY_RUN",
                "1",
                "HADOOP_CONF_DIR",
                hadoopConf.toString(),
                "NIGHTJAR_SPARK_SECRET",
                "not-a-secret",
                "NIGHTJAR_EVENT_LOG_DIR",
                work.resolve("events").toString(),
                "NIGHTJAR_IMAGE",
                "registry.example.com/nightjar:1",
                "NIGHTJAR_SPARK_SECRET_FILE",
                secretFile.toString()));
  }

  @Test
  void everyProfileIsAcceptedBySparkSubmit() throws Exception {
    List<String> names = profiles();
    assertThat(names).contains("local", "standalone", "yarn", "yarn-gpu", "k8s");
    for (String profile : names) {
      for (String mode : List.of("client", "cluster")) {
        if (profile.startsWith("local") && mode.equals("cluster")) {
          continue; // Spark has no cluster deploy mode for local masters
        }
        List<String> args =
            dryRun(
                "--profile",
                profile,
                "--deploy-mode",
                mode,
                "pipeline",
                "--env-file",
                REPO.resolve("conf/env/local.conf").toString(),
                "--date",
                "2026-01-01");
        SparkConf conf = validated(args, profile + " in " + mode + " mode");
        assertThat(conf.get("spark.submit.deployMode")).as(profile).isEqualTo(mode);
      }
    }
  }

  @Test
  void yarnChecksCatchConflictingGpuRequests() throws Exception {
    List<String> args =
        dryRun(
            "--profile",
            "yarn-gpu",
            "--spark-conf",
            "spark.yarn.executor.resource.yarn.io/gpu.amount=1",
            "train");

    assertThatThrownBy(() -> validated(args, "yarn-gpu with YARN's own GPU request too"))
        .hasRootCauseInstanceOf(SparkException.class)
        .rootCause()
        .hasMessageContaining("Do not use spark.yarn.executor.resource.yarn.io/gpu.amount");
  }

  @Test
  void yarnClusterModeShipsTheSettingsFilesAndNamesThemRelatively() throws Exception {
    List<String> args =
        dryRun(
            "--profile",
            "yarn",
            "pipeline",
            "--env-file",
            REPO.resolve("conf/env/local.conf").toString());
    SparkConf conf = validated(args, "yarn");

    assertThat(conf.get("spark.yarn.dist.files").split(","))
        .containsExactlyInAnyOrder(
            "file://" + REPO.resolve("conf/env/local.conf") + "#local.conf",
            "file://" + REPO.resolve("conf/nightjar.conf") + "#nightjar.conf",
            "file://" + REPO.resolve("conf/log4j2.properties") + "#log4j2.properties");
    assertThat(conf.get("spark.yarn.appMasterEnv.NIGHTJAR_CONF_DIR")).isEqualTo(".");
    assertThat(conf.get("spark.driver.extraJavaOptions"))
        .contains("-Dlog4j2.configurationFile=log4j2.properties");
    assertThat(conf.get("spark.executor.extraJavaOptions"))
        .contains("-Dlog4j2.configurationFile=log4j2.properties");
    assertThat(conf.get("spark.driver.memoryOverhead")).isEqualTo("5g");
    assertThat(conf.get("spark.yarn.tags"))
        .isEqualTo(conf.get("spark.nightjar.submission"))
        .startsWith("nightjar-");
    assertThat(args.subList(args.indexOf(environment.get("NIGHTJAR_JOB_JAR")) + 1, args.size()))
        .containsExactly("pipeline", "--env-file", "local.conf");
  }

  private List<String> profiles() throws IOException {
    try (Stream<Path> files = Files.list(REPO.resolve("submit/profiles"))) {
      return files.map(file -> file.getFileName().toString().replace(".env", "")).sorted().toList();
    }
  }

  /** The arguments nightjar-submit.sh would give SparkSubmit. */
  private List<String> dryRun(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", REPO.resolve("submit/nightjar-submit.sh").toString()));
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
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    List<String> lines = output.lines().toList();
    List<String> submitArgs =
        new ArrayList<>(
            lines.subList(lines.indexOf("org.apache.spark.deploy.SparkSubmit") + 1, lines.size()));
    // A standalone cluster's secret reaches Spark through an open descriptor of a deleted file,
    // gone
    // once the dry run exits: the same settings from a file of the test's.
    int properties = submitArgs.indexOf("--properties-file");
    if (properties >= 0 && submitArgs.get(properties + 1).startsWith("/dev/fd/")) {
      Path copy = work.resolve("spark-defaults-with-secret.conf");
      Files.writeString(
          copy,
          Files.readString(REPO.resolve("conf/spark-defaults.conf"))
              + "\nspark.authenticate.secret=not-a-secret\n");
      submitArgs.set(properties + 1, copy.toString());
    }
    return submitArgs;
  }

  /**
   * The application's settings as spark-submit prepares them, after Spark's checks; fails on the
   * first it rejects.
   */
  private SparkConf validated(List<String> args, String what) throws Exception {
    Seq<String> argSeq = JavaConverters.asScalaBuffer(args).toList();
    scala.collection.immutable.Map<String, String> env =
        scala.collection.immutable.Map$.MODULE$.empty();
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      env = env.$plus(new Tuple2<>(variable.getKey(), variable.getValue()));
    }
    SparkSubmitArguments parsed = new SparkSubmitArguments(argSeq, env);
    Tuple4<Seq<String>, Seq<String>, SparkConf, String> prepared =
        new SparkSubmit().prepareSubmitEnvironment(parsed, Option.empty());
    SparkConf conf = prepared._3();
    try {
      conf.validateSettings();
      if (parsed.master().equals("yarn")) {
        ResourceRequestHelper$.MODULE$.validateResources(conf);
      }
    } catch (Exception e) {
      throw new AssertionError(what + ": " + e.getMessage(), e);
    }
    return conf;
  }
}
