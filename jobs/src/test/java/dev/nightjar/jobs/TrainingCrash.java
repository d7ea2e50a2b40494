package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.jobs.cluster.Await;
import dev.nightjar.jobs.cluster.DriverUi;
import dev.nightjar.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A training run whose driver JVM is killed in its second epoch, as a crash would kill it, and the
 * {@code --resume} run that must continue from the checkpoint of the first epoch.
 */
final class TrainingCrash {
  private final RunOutputs outputs;
  private final int epochs;

  /**
   * @param epochs the epochs the runs are configured to train
   */
  TrainingCrash(RunOutputs outputs, int epochs) {
    this.outputs = outputs;
    this.epochs = epochs;
  }

  /**
   * Waits until {@code training} is fitting its second epoch (the first one is checkpointed by
   * then), kills its driver, and checks that the crash left the committed model alone. Returns once
   * the killed driver's lock has expired (its jobs hold it with {@link KilledDriverLock#SETTINGS}).
   *
   * @param ui the UI of the training job's driver
   */
  void killInSecondEpoch(SubmittedJob training, DriverUi ui)
      throws IOException, InterruptedException {
    Optional<String> committed = committedModel();
    Await.until(
        "an averaging round of the second epoch",
        () -> ui.activeStage(NightjarStages.averagingRound(2)),
        training::isAlive,
        Duration.ofMinutes(5));
    training.kill();
    assertThat(outputs.checkpoints().resolve("epoch-001/state.json"))
        .as("the first epoch's checkpoint")
        .exists();
    assertThat(outputs.checkpoints().resolve("epoch-002"))
        .as("no checkpoint of the epoch killed")
        .doesNotExist();
    assertThat(committedModel()).as("the committed model after the crash").isEqualTo(committed);
    KilledDriverLock.awaitExpiry();
  }

  /** The committed model's metadata as text, if there is a model. */
  private Optional<String> committedModel() throws IOException {
    Path metadata = outputs.models().resolve(ModelStore.METADATA_FILE);
    return Files.exists(metadata) ? Optional.of(Files.readString(metadata)) : Optional.empty();
  }

  /**
   * Checks that {@code resumed} went on from the killed run's first epoch to the last, and returns
   * its model.
   */
  JsonNode assertResumed(SubmittedJob resumed, String killedRunId, String resumedRunId)
      throws IOException, InterruptedException {
    assertThat(resumed.await(10)).as("exit code; log:%n%s", resumed.log()).isZero();
    assertThat(resumed.log()).contains("Resuming after epoch 1 of run " + killedRunId);
    JsonNode model = outputs.model();
    assertThat(model.get("runId").asText()).isEqualTo(resumedRunId);
    assertThat(model.get("epochs").asInt()).isEqualTo(epochs);
    return model;
  }
}
