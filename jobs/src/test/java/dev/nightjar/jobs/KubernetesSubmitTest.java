package dev.nightjar.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkSubmit;
import org.apache.spark.deploy.k8s.KubernetesConf;
import org.apache.spark.deploy.k8s.SparkPod;
import org.apache.spark.resource.ResourceProfile$;
import org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

/**
 * nightjar-submit.sh's Kubernetes profiles, submitted by Spark's own Kubernetes client to fabric8's
 * mock API server (as Spark's submission tests do): the command line comes from the script's dry
 * run, and SparkSubmit runs it in this JVM against the mock's URL. The driver pod it creates, and
 * the executor pod Spark's executor builder makes from the settings the driver is given, must carry
 * the image, the job jar, the service account, the Spark secret as a mounted Kubernetes secret (in
 * no environment variable), and for k8s-gpu the nvidia.com GPUs.
 */
class KubernetesSubmitTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final String IMAGE = "registry.example.com/nightjar:0.1.0";
  private static final String NAMESPACE = "nightjar";
  private static final String SECRET = "a-test-secret-of-the-mounted-file";

  private static final ServerSideApplies applies = new ServerSideApplies();
  private static KubernetesMockServer server;
  private static KubernetesClient client;

  @TempDir Path work;
  private Map<String, String> environment;

  /**
   * The mock's CRUD mode keeps what Spark creates (the driver pod) and answers its watch. Spark
   * puts the driver's service and config map with server-side apply, which the mock does not know:
   * those requests are answered as a real API server would, and kept for the test to read.
   */
  private static final class ServerSideApplies extends Dispatcher {
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final Map<String, String> applied = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      String type = request.getHeader("Content-Type");
      if ("PATCH".equals(request.getMethod())
          && type != null
          && type.startsWith("application/apply-patch")) {
        String body = request.getBody().readUtf8();
        applied.put(request.getPath().replaceAll("\\?.*", ""), body);
        return new MockResponse().setResponseCode(200).setBody(body);
      }
      return crud.dispatch(request);
    }
  }

  @BeforeAll
  static void startApiServer() throws IOException {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), applies, false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
  }

  @AfterAll
  static void stopApiServer() {
    client.close();
    server.destroy();
  }

  @BeforeEach
  void fakeBuild() throws IOException {
    client.pods().inNamespace(NAMESPACE).delete();
    applies.applied.clear();
    Files.createDirectories(work.resolve("spark-home/jars"));
    String master = "k8s://" + server.url("/").replaceAll("/$", "");
    environment =
        new HashMap<>(
            Map.of(
                "SPARK_HOME",
                work.resolve("spark-home").toString(),
                "NIGHTJAR_DRY_RUN",
                "1",
                "NIGHTJAR_MASTER",
                master,
                "NIGHTJAR_IMAGE",
                IMAGE,
                "NIGHTJAR_UPLOAD_PATH",
                work.resolve("uploads").toUri().toString()));
  }

  @Test
  void k8sProfileMakesPodsOfTheImageWithTheJobJarAndTheSecretMounted() throws Exception {
    Path envFile = Files.writeString(work.resolve("night.conf"), "nightjar.train.epochs = 1\n");
    submit("k8s", "pipeline", "--env-file", envFile.toString(), "--date", "2026-01-01");

    Pod driver = onlyPod();
    Container container = driver.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(IMAGE);
    assertThat(driver.getSpec().getServiceAccountName()).isEqualTo("spark");
    assertThat(container.getArgs())
        .startsWith("driver")
        .containsSubsequence("--class", "dev.nightjar.jobs.NightjarMain")
        .endsWith("pipeline", "--env-file", "night.conf", "--date", "2026-01-01");
    assertThat(container.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("NIGHTJAR_CONF_DIR", "."));
    assertSecretMountedNotInTheEnvironment(driver, container);
    // What the image's entry point (docker/entrypoint.sh) reads.
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .contains("SPARK_DRIVER_BIND_ADDRESS");
    // Driver heap 4g plus ND4J's 4g off-heap and 1g for the JVM.
    assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("9216Mi");

    SparkConf conf = driverConf();
    assertThat(conf.get("spark.jars"))
        .isEqualTo("local:///opt/nightjar/jars/nightjar-jobs-job.jar");
    assertThat(conf.get("spark.authenticate")).isEqualTo("true");
    assertThat(conf.contains("spark.authenticate.secret")).isFalse();
    assertThat(conf.get("spark.eventLog.dir")).isEqualTo("s3a://spark-history/");
    assertThat(conf.get("spark.driver.extraJavaOptions"))
        .contains("-Dlog4j2.configurationFile=file:/opt/nightjar/conf/log4j2.properties");
    // The settings files went to the upload path, from which the driver fetches them.
    assertThat(conf.get("spark.files").split(","))
        .hasSize(2)
        .allMatch(file -> file.startsWith(environment.get("NIGHTJAR_UPLOAD_PATH")))
        .anyMatch(file -> file.endsWith("/night.conf"))
        .anyMatch(file -> file.endsWith("/nightjar.conf"));

    SparkPod executor = executorPod(conf, driver);
    Container executorContainer = executor.container();
    assertThat(executorContainer.getImage()).isEqualTo(IMAGE);
    assertSecretMountedNotInTheEnvironment(executor.pod(), executorContainer);
    assertThat(executorContainer.getArgs()).containsExactly("executor");
    assertThat(executorContainer.getEnv())
        .extracting(EnvVar::getName)
        .contains(
            "SPARK_DRIVER_URL",
            "SPARK_EXECUTOR_ID",
            "SPARK_EXECUTOR_CORES",
            "SPARK_EXECUTOR_MEMORY",
            "SPARK_APPLICATION_ID",
            "SPARK_EXECUTOR_POD_IP",
            "SPARK_EXECUTOR_POD_NAME",
            "SPARK_RESOURCE_PROFILE_ID",
            "SPARK_JAVA_OPT_0");
    assertThat(executorContainer.getEnv())
        .extracting(EnvVar::getValue)
        .contains("-Dlog4j2.configurationFile=file:/opt/nightjar/conf/log4j2.properties");
    assertThat(executorContainer.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void k8sGpuProfileAsksKubernetesForNvidiaGpus() throws Exception {
    submit("k8s-gpu", "train");

    Pod driver = onlyPod();
    SparkConf conf = driverConf();
    assertThat(conf.get("spark.executor.resource.gpu.discoveryScript"))
        .isEqualTo("/opt/nightjar/gpu/discover-gpus.sh");
    Container executor = executorPod(conf, driver).container();
    assertThat(executor.getResources().getLimits().get("nvidia.com/gpu").toString()).isEqualTo("1");
    assertThat(executor.getResources().getRequests().get("cpu").toString()).isEqualTo("1");
  }

  private void assertSecretMountedNotInTheEnvironment(Pod pod, Container container) {
    assertThat(pod.getSpec().getVolumes())
        .map(Volume::getSecret)
        .filteredOn(secret -> secret != null)
        .extracting(secret -> secret.getSecretName())
        .containsExactly("nightjar-spark-auth");
    assertThat(container.getVolumeMounts())
        .anyMatch(mount -> mount.getMountPath().equals("/etc/nightjar/spark-auth"));
    assertThat(container.getEnv())
        .noneMatch(variable -> variable.getName().equals("SPARK_AUTHENTICATE_SECRET"));
  }

  /** Runs the script's dry run, then what it printed in this JVM, against the mock API server. */
  private void submit(String profile, String... jobArgs) throws Exception {
    List<String> args = new ArrayList<>(dryRun(profile, jobArgs));
    new SparkSubmit().doSubmit(args.toArray(String[]::new));
  }

  private List<String> dryRun(String profile, String... jobArgs) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                REPO.resolve("submit/nightjar-submit.sh").toString(),
                "--profile",
                profile,
                // Return once the driver pod exists, rather than wait for the application to end.
                "--spark-conf",
                "spark.kubernetes.submission.waitAppCompletion=false"));
    command.addAll(List.of(jobArgs));
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
    return lines.subList(lines.indexOf("org.apache.spark.deploy.SparkSubmit") + 1, lines.size());
  }

  private Pod onlyPod() {
    List<Pod> pods = client.pods().inNamespace(NAMESPACE).list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  /** The settings Spark gives the driver, from the config map it mounts in the driver's pod. */
  private SparkConf driverConf() throws IOException {
    ConfigMap driverMap =
        applies.applied.entrySet().stream()
            .filter(
                entry ->
                    entry.getKey().startsWith("/api/v1/namespaces/" + NAMESPACE + "/configmaps/"))
            .map(entry -> Serialization.unmarshal(entry.getValue(), ConfigMap.class))
            .filter(map -> map.getData().containsKey("spark.properties"))
            .findFirst()
            .orElseThrow();
    Properties properties = new Properties();
    properties.load(new StringReader(driverMap.getData().get("spark.properties")));
    SparkConf conf = new SparkConf(false);
    properties.stringPropertyNames().forEach(key -> conf.set(key, properties.getProperty(key)));
    return conf;
  }

  /**
   * The pod Spark's executor builder makes for executor 1 from the driver's settings, with the
   * driver's security manager, which reads the secret from the file the driver's pod mounts (here a
   * file of the test's holding {@link #SECRET}).
   */
  private SparkPod executorPod(SparkConf driverConf, Pod driver) throws IOException {
    Path mounted = Files.writeString(work.resolve("mounted-secret"), SECRET);
    SparkConf conf =
        driverConf
            .clone()
            .set("spark.app.id", "spark-test-app")
            .set("spark.authenticate.secret.driver.file", mounted.toString());
    // As SparkEnv makes the driver's: its secret from the driver's file setting.
    SecurityManager security =
        new SecurityManager(
            conf,
            SecurityManager.$lessinit$greater$default$2(),
            org.apache.spark.internal.config.package$.MODULE$.AUTH_SECRET_FILE_DRIVER());
    security.initializeAuth();
    // Spark takes the file's bytes as the key, Base64-encoded.
    String key = security.getSecretKey();
    assertThat(key).isEqualTo(Base64.getEncoder().encodeToString(SECRET.getBytes(UTF_8)));
    // Spark keeps one default resource profile per JVM: this conf's, not an earlier test's.
    ResourceProfile$.MODULE$.clearDefaultProfile();
    SparkPod executor =
        new KubernetesExecutorBuilder()
            .buildFromFeatures(
                KubernetesConf.createExecutorConf(
                    conf, "1", "spark-test-app", Option.apply(driver), 0),
                security,
                client,
                ResourceProfile$.MODULE$.getOrCreateDefaultProfile(conf))
            .pod();
    assertThat(executor.container().getEnv())
        .noneMatch(
            variable -> key.equals(variable.getValue()) || SECRET.equals(variable.getValue()));
    return executor;
  }
}
