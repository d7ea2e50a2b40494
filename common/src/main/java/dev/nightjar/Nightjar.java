package dev.nightjar;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.InferConfig;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.config.Redaction;
import dev.nightjar.data.PreparedData;
import dev.nightjar.infer.InferAction;
import dev.nightjar.infer.InferInput;
import dev.nightjar.infer.NewData;
import dev.nightjar.infer.ServedModels;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.optimize.OptimizeAction;
import dev.nightjar.optimize.ServingTarget;
import dev.nightjar.prepare.PrepareAction;
import dev.nightjar.run.PipelineRunner;
import dev.nightjar.stage.RunContext;
import dev.nightjar.stage.Stage;
import dev.nightjar.stage.StageAction;
import dev.nightjar.stage.StageResult;
import dev.nightjar.train.TrainAction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The front door: one action per stage, made from a run's configuration. Each action reads what the
 * earlier stages committed under the output root for the same run date, so an action is made only
 * once its inputs are committed; each commits its own output atomically. These actions hold no
 * lock; the jobs make theirs with {@link #action(Stage, SparkSession, NightjarConfig,
 * CommitFence)}, whose fence is their lease on the output root's lock.
 *
 * <pre>{@code
 * NightjarConfig config = ConfigLoader.fromOverrides(List.of("output-root=/tmp/out"));
 * List<StageResult> results = Nightjar.run(spark, config, EnumSet.allOf(Stage.class));
 * }</pre>
 */
public final class Nightjar {
  private Nightjar() {}

  public static PrepareAction prepare(SparkSession spark, NightjarConfig config) {
    return prepare(spark, config, RunContext.of(config));
  }

  public static TrainAction train(SparkSession spark, NightjarConfig config) {
    return train(spark, config, RunContext.of(config));
  }

  /** Fine-tunes with the training settings and measures for the infer stage's engine. */
  public static OptimizeAction optimize(SparkSession spark, NightjarConfig config) {
    return optimize(spark, config, RunContext.of(config));
  }

  /** Serves the run date's serving model (or trained model) on the configured input. */
  public static InferAction infer(SparkSession spark, NightjarConfig config) {
    return infer(spark, config, RunContext.of(config));
  }

  private static PrepareAction prepare(SparkSession spark, NightjarConfig config, RunContext run) {
    return new PrepareAction(spark, run, config.data(), config.prepare(), config.hash());
  }

  private static TrainAction train(SparkSession spark, NightjarConfig config, RunContext run) {
    return new TrainAction(
        spark, run, config.train(), prepared(spark, run), settings(spark, config));
  }

  private static OptimizeAction optimize(
      SparkSession spark, NightjarConfig config, RunContext run) {
    InferConfig infer = config.infer();
    return new OptimizeAction(
        spark,
        run,
        config.optimize(),
        config.train(),
        new ServingTarget(infer.engine(), infer.threadsPerTask()),
        prepared(spark, run),
        PublishedOutputs.resolve(
            spark.sparkContext().hadoopConfiguration(), run.layout(), run.layout().models()));
  }

  private static InferAction infer(SparkSession spark, NightjarConfig config, RunContext run) {
    InferConfig infer = config.infer();
    InferInput input =
        infer.scoresNewData()
            ? new NewData(config.data(), config.prepare(), infer)
            : new InferInput.PreparedSplit(prepared(spark, run), infer.split());
    return new InferAction(
        spark,
        run,
        infer,
        ServedModels.resolve(run.layout(), infer, spark.sparkContext().hadoopConfiguration()),
        input);
  }

  /** The action of {@code stage}, made now from what earlier stages committed. */
  public static StageAction<?> action(Stage stage, SparkSession spark, NightjarConfig config) {
    return action(stage, spark, config, CommitFence.NONE);
  }

  /**
   * As {@link #action(Stage, SparkSession, NightjarConfig)}, each of its commits asking {@code
   * fence} first.
   */
  public static StageAction<?> action(
      Stage stage, SparkSession spark, NightjarConfig config, CommitFence fence) {
    RunContext run = RunContext.of(config, fence);
    return switch (stage) {
      case PREPARE -> prepare(spark, config, run);
      case TRAIN -> train(spark, config, run);
      case OPTIMIZE -> optimize(spark, config, run);
      case INFER -> infer(spark, config, run);
    };
  }

  /**
   * The pipeline's steps for {@link PipelineRunner}: every stage of {@code pipeline.stages} in
   * order, each made once the one before it committed, its commits asking {@code fence} first, with
   * the identities of what it reads ({@link StageInputs}).
   */
  public static List<PipelineRunner.Step> pipelineSteps(
      SparkSession spark, NightjarConfig config, CommitFence fence) {
    Set<Stage> stages = Stage.parseAll(config.pipeline().stages(), ConfigKeys.PIPELINE_STAGES);
    return Arrays.stream(Stage.values())
        .filter(stages::contains)
        .map(
            stage ->
                new PipelineRunner.Step(
                    stage,
                    () -> StageInputs.of(stage, spark.sparkContext().hadoopConfiguration(), config),
                    () -> action(stage, spark, config, fence).execute()))
        .toList();
  }

  /** Runs {@code stages} in pipeline order, each made once the one before it committed. */
  public static List<StageResult> run(
      SparkSession spark, NightjarConfig config, Set<Stage> stages) {
    List<StageResult> results = new ArrayList<>();
    for (Stage stage : Stage.values()) {
      if (stages.contains(stage)) {
        results.add(action(stage, spark, config).execute());
      }
    }
    return results;
  }

  private static PreparedData prepared(SparkSession spark, RunContext run) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    return PreparedData.read(
        conf, PublishedOutputs.resolve(conf, run.layout(), run.layout().prepared()));
  }

  /** The effective settings, recorded with the trained model, less what Spark would redact. */
  private static Map<String, Object> settings(SparkSession spark, NightjarConfig config) {
    Pattern secretKeys =
        Pattern.compile(spark.conf().get("spark.redaction.regex", Redaction.SPARK_DEFAULT));
    try {
      return Redaction.redact(
          new ObjectMapper()
              .readValue(config.rendered(), new TypeReference<Map<String, Object>>() {}),
          secretKeys);
    } catch (IOException e) {
      throw new IllegalStateException("the rendered config is not JSON", e);
    }
  }
}
