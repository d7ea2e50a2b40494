package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.jobs.cluster.DriverUi;
import dev.nightjar.testing.FashionMnist;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run whose driver JVM is killed in the middle of an epoch continues with {@code
 * --resume} from its last checkpoint and ends within tolerance of an uninterrupted run.
 * (ClusterFaultsIT kills the driver of a run on a standalone cluster the same way.)
 */
class TrainResumeIT {
  private static final LocalDate DATE = LocalDate.parse("2026-03-04");
  private static final int EPOCHS = 3;
  @TempDir Path work;

  private SubmittedJob submit(String stage, String runId, DriverUi ui, String... extra)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--driver-memory",
                "3g",
                "--spark-conf",
                ui.portSetting(),
                stage,
                "--output",
                work.resolve("output").toString(),
                "--date",
                DATE.toString(),
                "--run-id",
                runId,
                "--data",
                FashionMnist.dir(),
                "--conf",
                "data.train-limit=3000",
                "--conf",
                "data.test-limit=1000",
                "--conf",
                "train.epochs=" + EPOCHS,
                // Several averaging rounds per epoch, at the rate the tolerance below was
                // measured with.
                "--conf",
                "train.averaging-frequency=5",
                "--conf",
                "train.learning-rate=0.001"));
    args.addAll(KilledDriverLock.SETTINGS);
    args.addAll(List.of(extra));
    return SubmittedJob.start(work.resolve(runId + ".log"), args);
  }

  @Test
  void killedDriverResumesFromItsLastCheckpoint() throws Exception {
    RunOutputs outputs = new RunOutputs(work.resolve("output"), DATE);
    SubmittedJob prepare = submit("prepare", "prepare", new DriverUi());
    assertThat(prepare.await(10)).as(prepare.log()).isZero();

    SubmittedJob straight = submit("train", "straight", new DriverUi());
    assertThat(straight.await(10)).as(straight.log()).isZero();
    JsonNode uninterrupted = outputs.model();
    assertThat(uninterrupted.get("epochs").asInt()).isEqualTo(EPOCHS);

    TrainingCrash crash = new TrainingCrash(outputs, EPOCHS);
    DriverUi ui = new DriverUi();
    crash.killInSecondEpoch(submit("train", "killed", ui), ui);

    JsonNode resumed =
        crash.assertResumed(
            submit("train", "resumed", new DriverUi(), "--resume"), "killed", "resumed");
    assertThat(resumed.get("testAccuracy").asDouble())
        .isCloseTo(uninterrupted.get("testAccuracy").asDouble(), within(0.03));
  }
}
