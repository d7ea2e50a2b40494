package dev.nightjar.testing;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.spark.SessionSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects one {@code local[2]} SparkSession shared by every test of the JVM, stopped when the test
 * plan ends, set up as the jobs set up theirs. Two task slots, so tasks really run concurrently in
 * one JVM as on an executor.
 */
public final class SparkTestSession implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SparkTestSession.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("session", key -> new Holder(), Holder.class)
        .spark;
  }

  /**
   * A session of the shared session's {@code SparkContext} with {@code settings} on top, for one
   * test: their {@code spark.sql.*} settings as the session's SQL settings, and their {@code
   * spark.hadoop.*} settings (prefix removed) as the Hadoop settings of the session's reads and
   * writes. The shared session and the context's own Hadoop configuration stay as they are.
   */
  public static SparkSession withSettings(SparkSession shared, SparkConf settings) {
    SparkSession session = shared.newSession();
    for (scala.Tuple2<String, String> setting : settings.getAll()) {
      String key = setting._1();
      if (key.startsWith("spark.hadoop.")) {
        session.conf().set(key.substring("spark.hadoop.".length()), setting._2());
      } else if (key.startsWith("spark.sql.") && session.conf().isModifiable(key)) {
        session.conf().set(key, setting._2());
      }
    }
    return session;
  }

  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    final SparkSession spark =
        SparkSession.builder()
            .config(SessionSettings.apply(new SparkConf(), ConfigLoader.fromOverrides()))
            .master("local[2]")
            .appName("nightjar-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();

    @Override
    public void close() {
      spark.stop();
    }
  }
}
