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
