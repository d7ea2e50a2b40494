package dev.nightjar;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.infer.InferAction;
import dev.nightjar.optimize.OptimizeAction;
import dev.nightjar.prepare.PrepareAction;
import dev.nightjar.train.TrainAction;
import org.apache.spark.sql.SparkSession;

/**
 * The front door: one action per stage. Each action reads what the earlier stage committed under
 * the output root for the same run date, and commits its own output atomically.
 *
 * <pre>{@code
 * PrepareResult prepared = Nightjar.prepare(spark, config).execute();
 * TrainResult trained = Nightjar.train(spark, config).execute();
 * OptimizeResult optimized = Nightjar.optimize(spark, config).execute();
 * InferResult scored = Nightjar.infer(spark, config).execute();
 * }</pre>
 */
public final class Nightjar {
  private Nightjar() {}

  public static PrepareAction prepare(SparkSession spark, NightjarConfig config) {
    return new PrepareAction(spark, config);
  }

  public static TrainAction train(SparkSession spark, NightjarConfig config) {
    return new TrainAction(spark, config);
  }

  public static OptimizeAction optimize(SparkSession spark, NightjarConfig config) {
    return new OptimizeAction(spark, config);
  }

  public static InferAction infer(SparkSession spark, NightjarConfig config) {
    return new InferAction(spark, config);
  }
}
