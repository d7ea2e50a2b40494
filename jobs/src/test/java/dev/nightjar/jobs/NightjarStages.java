package dev.nightjar.jobs;

import dev.nightjar.jobs.cluster.DriverUi.Stage;
import java.util.function.Predicate;

/** The Spark stages of Nightjar's jobs that fault tests wait for, as the driver's UI shows them. */
final class NightjarStages {
  private NightjarStages() {}

  /**
   * A parameter-averaging round of epoch {@code epoch}: DL4J's aggregation of the workers' fits,
   * under the job group TrainAction names {@code epoch N}. Its tasks are the workers fitting.
   */
  static Predicate<Stage> averagingRound(int epoch) {
    return stage ->
        stage.name().startsWith("treeAggregate at ParameterAveragingTrainingMaster")
            && stage.description().equals("epoch " + epoch);
  }

  /**
   * The infer stage scoring examples and writing the predictions (InferAction's job group "score
   * ...").
   */
  static Predicate<Stage> scoring() {
    return stage -> stage.description().startsWith("score ");
  }
}
