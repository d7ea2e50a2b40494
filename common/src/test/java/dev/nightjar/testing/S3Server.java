package dev.nightjar.testing;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;

/**
 * A real S3 API server in this JVM: S3Proxy on 127.0.0.1 at an ephemeral port, over a jclouds blob
 * store, with one bucket of a name of its own. Hadoop's S3A connector reaches it through the
 * settings of {@link #settings()} ({@link #configure(Configuration)}, {@link
 * #configure(SparkConf)}).
 *
 * <p>S3Proxy's self-contained jar bundles Jetty, jclouds, Guava, Netty, Jackson, logback and parts
 * of the AWS SDK without relocating them, so it is loaded in a class loader of its own, whose
 * parent is the JDK's platform loader: nothing of it reaches the test classpath, and nothing of the
 * test classpath (Spark's Netty and Jackson, the AWS SDK bundle of hadoop-aws) reaches it. Surefire
 * passes the jar's path as {@code nightjar.s3proxyJar}.
 *
 * <p>The objects live in memory (jclouds' "transient" blob store). Requests must be signed (AWS
 * signature V2 or V4) with {@link #ACCESS_KEY} and {@link #SECRET_KEY}.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "nightjar-test-access";
  public static final String SECRET_KEY = "nightjar-test-secret";
  private static final String JAR_PROPERTY = "nightjar.s3proxyJar";
  private static final String VERSION = "2.6.0";

  private final URLClassLoader loader;
  private final Object proxy;
  private final String bucket;
  private final Path scratch;
  private final int port;

  private S3Server(URLClassLoader loader, Object proxy, String bucket, Path scratch, int port) {
    this.loader = loader;
    this.proxy = proxy;
    this.bucket = bucket;
    this.scratch = scratch;
    this.port = port;
  }

  /**
   * Starts a server whose objects live in memory (jclouds' "transient" blob store). {@code scratch}
   * (a test's temp folder) takes the client side's local files: S3A's upload buffers and the
   * staging committers' pending commits.
   *
   * <p>jclouds' "filesystem" blob store (objects as files in a folder) is not offered: S3A's empty
   * directory markers ({@code dir/}) do not survive a rename there, and such a test stalls for
   * minutes.
   */
  public static S3Server inMemory(Path scratch) throws IOException {
    return start("transient", new Properties(), scratch);
  }

  private static S3Server start(String provider, Properties overrides, Path scratch)
      throws IOException {
    // The S3A connector and the AWS SDK must never look for credentials or a region on EC2.
    System.setProperty("com.amazonaws.sdk.disableEc2Metadata", "true");
    String bucket = "nightjar-" + UUID.randomUUID().toString().substring(0, 8);
    URLClassLoader loader =
        new URLClassLoader(
            "s3proxy", new URL[] {jar().toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    try {
      Object proxy =
          inLoader(
              loader,
              () -> {
                quietLogging(loader);
                Class<?> contextType = loader.loadClass("org.jclouds.blobstore.BlobStoreContext");
                Class<?> builderType = loader.loadClass("org.jclouds.ContextBuilder");
                Object contextBuilder =
                    builderType.getMethod("newBuilder", String.class).invoke(null, provider);
                call(contextBuilder, "credentials", ACCESS_KEY, SECRET_KEY);
                call(contextBuilder, "overrides", overrides);
                Object context =
                    builderType.getMethod("build", Class.class).invoke(contextBuilder, contextType);
                Object blobStore = contextType.getMethod("getBlobStore").invoke(context);
                Class<?> locationType = loader.loadClass("org.jclouds.domain.Location");
                Class<?> blobStoreType = loader.loadClass("org.jclouds.blobstore.BlobStore");
                blobStoreType
                    .getMethod("createContainerInLocation", locationType, String.class)
                    .invoke(blobStore, null, bucket);

                Class<?> proxyType = loader.loadClass("org.gaul.s3proxy.S3Proxy");
                Class<?> authType = loader.loadClass("org.gaul.s3proxy.AuthenticationType");
                Object builder = proxyType.getMethod("builder").invoke(null);
                Class<?> proxyBuilderType = builder.getClass();
                proxyBuilderType.getMethod("blobStore", blobStoreType).invoke(builder, blobStore);
                proxyBuilderType
                    .getMethod("endpoint", URI.class)
                    .invoke(builder, URI.create("http://127.0.0.1:0"));
                proxyBuilderType
                    .getMethod("awsAuthentication", authType, String.class, String.class)
                    .invoke(builder, enumValue(authType, "AWS_V2_OR_V4"), ACCESS_KEY, SECRET_KEY);
                proxyBuilderType.getMethod("jettyMaxThreads", int.class).invoke(builder, 32);
                Object started = proxyBuilderType.getMethod("build").invoke(builder);
                call(started, "start");
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!"STARTED".equals(call(started, "getState"))) {
                  if (System.nanoTime() > deadline) {
                    throw new IOException("S3Proxy did not start: " + call(started, "getState"));
                  }
                  Thread.sleep(5);
                }
                return started;
              });
      int port = (Integer) call(proxy, "getPort");
      return new S3Server(loader, proxy, bucket, scratch, port);
    } catch (Exception e) {
      loader.close();
      throw new IOException("S3Proxy " + VERSION + " did not start: " + e, e);
    }
  }

  /** The bucket every object goes to. */
  public String bucket() {
    return bucket;
  }

  /** The server's endpoint, {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code s3a://BUCKET/path}; {@code path} is relative to the bucket (a leading / is dropped). */
  public String uri(String path) {
    String key = path.startsWith("/") ? path.substring(1) : path;
    return "s3a://" + bucket + "/" + key;
  }

  /**
   * The S3A settings that reach this server and nothing else: its endpoint with path-style access
   * and no TLS, its credentials (and no other credential provider, EC2's and the environment's
   * included), a fixed region instead of a lookup, few retries and short timeouts (a broken setup
   * fails in seconds, not minutes), and local scratch space in the test's folder.
   */
  public Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("fs.s3a.endpoint", endpoint());
    settings.put("fs.s3a.endpoint.region", "us-east-1");
    settings.put("fs.s3a.path.style.access", "true");
    settings.put("fs.s3a.connection.ssl.enabled", "false");
    settings.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    settings.put("fs.s3a.access.key", ACCESS_KEY);
    settings.put("fs.s3a.secret.key", SECRET_KEY);
    settings.put("fs.s3a.bucket.probe", "0");
    settings.put("fs.s3a.attempts.maximum", "1");
    settings.put("fs.s3a.retry.limit", "2");
    settings.put("fs.s3a.retry.interval", "50ms");
    settings.put("fs.s3a.retry.throttle.limit", "2");
    settings.put("fs.s3a.retry.throttle.interval", "50ms");
    settings.put("fs.s3a.connection.establish.timeout", "2000");
    settings.put("fs.s3a.connection.timeout", "10000");
    settings.put("fs.s3a.buffer.dir", scratch.resolve("s3a-buffer").toString());
    settings.put(
        "fs.s3a.committer.staging.tmp.path", scratch.resolve("s3a-staging").toUri().toString());
    return settings;
  }

  /** Applies {@link #settings()} to a Hadoop configuration. */
  public Configuration configure(Configuration conf) {
    settings().forEach(conf::set);
    return conf;
  }

  /** Applies {@link #settings()} to a Spark configuration, as {@code spark.hadoop.*} settings. */
  public SparkConf configure(SparkConf conf) {
    settings().forEach((key, value) -> conf.set("spark.hadoop." + key, value));
    return conf;
  }

  @Override
  public void close() throws Exception {
    try {
      inLoader(loader, () -> call(proxy, "stop"));
    } finally {
      loader.close();
    }
  }

  private static Path jar() throws IOException {
    String configured = System.getProperty(JAR_PROPERTY, "");
    Path jar =
        configured.isEmpty() || configured.startsWith("${")
            ? Path.of(
                System.getProperty("user.home"),
                ".m2/repository/org/gaul/s3proxy",
                VERSION,
                "s3proxy-" + VERSION + "-jar-with-dependencies.jar")
            : Path.of(configured);
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          "no S3Proxy jar at "
              + jar
              + " (run the tests through Maven, which sets "
              + JAR_PROPERTY
              + ", or resolve org.gaul:s3proxy:"
              + VERSION
              + ":jar-with-dependencies)");
    }
    return jar;
  }

  /** S3Proxy logs every request at INFO through its own logback; warnings are enough here. */
  private static void quietLogging(ClassLoader loader) throws ReflectiveOperationException {
    // Read by logback only, which nothing outside S3Proxy's class loader uses.
    System.setProperty(
        "logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
    Method getLogger =
        loader.loadClass("org.slf4j.LoggerFactory").getMethod("getLogger", String.class);
    Class<?> level = loader.loadClass("ch.qos.logback.classic.Level");
    for (String name : new String[] {"ROOT", "org.gaul.shaded.org.eclipse.jetty"}) {
      Object logger = getLogger.invoke(null, name);
      if (logger.getClass().getName().equals("ch.qos.logback.classic.Logger")) {
        logger
            .getClass()
            .getMethod("setLevel", level)
            .invoke(logger, level.getField("WARN").get(null));
      }
    }
  }

  /** Runs {@code work} with {@code loader} as the thread's context loader (jclouds' providers). */
  private static <T> T inLoader(ClassLoader loader, Callable<T> work) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return work.call();
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static Object call(Object target, String method, Object... args)
      throws ReflectiveOperationException {
    for (Method candidate : target.getClass().getMethods()) {
      if (candidate.getName().equals(method) && candidate.getParameterCount() == args.length) {
        return candidate.invoke(target, args);
      }
    }
    throw new NoSuchMethodException(target.getClass().getName() + "." + method);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String name) {
    return Enum.valueOf((Class) type, name);
  }
}
