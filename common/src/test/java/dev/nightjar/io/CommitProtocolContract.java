package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@link CommitUnit} and {@link PublishedOutputs} promise on every file system the docs claim:
 * a unit's two outputs switch together, a crash after any step of a commit leaves the old or the
 * new version whole, the sweep removes what can never be read again and nothing else, and readers
 * polling during commits never see a missing, partial or mixed view. Each file system runs it
 * through a subclass.
 */
abstract class CommitProtocolContract {
  private static final LocalDate DATE = LocalDate.parse("2026-01-01");
  private static final String[] TABLES = {"models", "train_metrics"};

  /** The Hadoop configuration the file system needs. */
  abstract Configuration conf();

  /** An empty output root on the file system under test; a fresh one per test. */
  abstract Path newRoot() throws IOException;

  @AfterEach
  void noFaults() {
    CommitUnit.injectFaults(step -> {});
  }

  private OutputLayout layout(Path root) {
    return new OutputLayout(root.toString(), DATE);
  }

  private Path target(Path root, String table) {
    return new Path(new Path(root, table), "run_date=" + DATE);
  }

  /** Writes {@code content} into both outputs of the unit and commits it. */
  private void commit(Path root, String runId, String content) throws IOException {
    try (CommitUnit unit =
        CommitUnit.begin(conf(), layout(root), "train", runId, CommitFence.NONE)) {
      stageBoth(root, unit, content);
      unit.commit();
    }
  }

  private void stageBoth(Path root, CommitUnit unit, String content) throws IOException {
    for (String table : TABLES) {
      StagedOutput out = unit.stage(target(root, table));
      write(new Path(out.path(), "part-0.txt"), content);
      out.complete();
    }
  }

  private void write(Path file, String content) throws IOException {
    try (OutputStream out = file.getFileSystem(conf()).create(file, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** What a reader sees: each output's content, resolved through the records; "" when missing. */
  private List<String> view(Path root) throws IOException {
    List<String> seen = new ArrayList<>();
    PublishedOutputs.Snapshot snapshot =
        PublishedOutputs.snapshot(conf(), root, target(root, TABLES[0]));
    for (String table : TABLES) {
      Path file = snapshot.resolve(new Path(target(root, table), "part-0.txt"));
      FileSystem fs = file.getFileSystem(conf());
      if (!fs.exists(file)) {
        seen.add("");
        continue;
      }
      try (InputStream in = fs.open(file)) {
        seen.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return seen;
  }

  private List<Path> versionFolders(Path root) throws IOException {
    FileSystem fs = root.getFileSystem(conf());
    List<Path> folders = new ArrayList<>();
    for (String table : TABLES) {
      Path versions = new Path(target(root, table), CommitUnit.VERSIONS_DIR);
      if (fs.exists(versions)) {
        for (var status : fs.listStatus(versions)) {
          folders.add(status.getPath());
        }
      }
    }
    return folders;
  }

  private int notes(Path root, String dir) throws IOException {
    Path notes = new Path(new Path(root, CommitUnit.COMMITS_DIR), dir);
    FileSystem fs = root.getFileSystem(conf());
    return fs.exists(notes) ? fs.listStatus(notes).length : 0;
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void aCommitPublishesBothOutputsAndARerunReplacesThemKeepingTheOldForItsGracePeriod()
      throws IOException {
    Path root = newRoot();
    assertThat(view(root)).containsExactly("", "");
    commit(root, "night-1", "first");
    assertThat(view(root)).containsExactly("first", "first");
    commit(root, "night-2", "second");
    assertThat(view(root)).containsExactly("second", "second");
    assertThat(versionFolders(root)).hasSize(4);

    Duration grace = Duration.ofHours(1);
    PublishedOutputs.sweep(conf(), root, grace, Clock.systemUTC());
    assertThat(versionFolders(root)).as("within the grace period").hasSize(4);
    PublishedOutputs.sweep(conf(), root, grace, at(Instant.now().plus(Duration.ofHours(2))));
    assertThat(versionFolders(root)).hasSize(2);
    assertThat(view(root)).containsExactly("second", "second");
    assertThat(notes(root, CommitUnit.RETIRED_DIR)).isZero();
  }

  @Test
  void aUnitClosedWithoutCommitLeavesThePreviousVersionAndNothingStaged() throws IOException {
    Path root = newRoot();
    commit(root, "night-1", "first");
    try (CommitUnit unit =
        CommitUnit.begin(conf(), layout(root), "train", "night-2", CommitFence.NONE)) {
      stageBoth(root, unit, "half-written");
    }
    assertThat(view(root)).containsExactly("first", "first");
    assertThat(versionFolders(root)).hasSize(2);
    assertThat(notes(root, CommitUnit.IN_FLIGHT_DIR)).isZero();
  }

  @Test
  void anOutputNotMarkedCompleteIsNotPublished() throws IOException {
    Path root = newRoot();
    try (CommitUnit unit =
        CommitUnit.begin(conf(), layout(root), "train", "night-1", CommitFence.NONE)) {
      StagedOutput models = unit.stage(target(root, "models"));
      write(new Path(models.path(), "part-0.txt"), "model");
      models.complete();
      StagedOutput metrics = unit.stage(target(root, "train_metrics"));
      write(new Path(metrics.path(), "part-0.txt"), "unfinished");
      unit.commit();
    }
    assertThat(view(root)).containsExactly("model", "");
  }

  /** The driver dies right after {@code step}: no clean-up runs, as in a real crash. */
  @ParameterizedTest
  @EnumSource(CommitUnit.Step.class)
  void aCrashAfterEachStepLeavesTheOldOrTheNewVersionAndTheRerunCompletes(CommitUnit.Step step)
      throws IOException {
    Path root = newRoot();
    commit(root, "night-1", "old");
    CommitUnit.injectFaults(
        reached -> {
          if (reached == step) {
            throw new SimulatedCrash();
          }
        });
    CommitUnit crashed =
        CommitUnit.begin(conf(), layout(root), "train", "night-2", CommitFence.NONE);
    stageBoth(root, crashed, "new");
    assertThatThrownBy(crashed::commit).isInstanceOf(SimulatedCrash.class);
    CommitUnit.injectFaults(reached -> {});

    boolean published = step.compareTo(CommitUnit.Step.RECORD_WRITTEN) >= 0;
    List<String> expected = published ? List.of("new", "new") : List.of("old", "old");
    assertThat(view(root)).as("after a crash at " + step).isEqualTo(expected);

    // The next job sweeps before it stages anything.
    PublishedOutputs.sweep(conf(), root, Duration.ofHours(1), Clock.systemUTC());
    assertThat(view(root)).isEqualTo(expected);
    assertThat(notes(root, CommitUnit.IN_FLIGHT_DIR)).isZero();
    assertThat(versionFolders(root))
        .as("the dead run's version is gone unless it was published")
        .hasSize(published ? 4 : 2);

    commit(root, "night-3", "rerun");
    assertThat(view(root)).containsExactly("rerun", "rerun");
    PublishedOutputs.sweep(
        conf(), root, Duration.ofHours(1), at(Instant.now().plus(Duration.ofHours(2))));
    assertThat(versionFolders(root)).hasSize(2);
    assertThat(notes(root, CommitUnit.RETIRED_DIR)).isZero();
    assertThat(notes(root, CommitUnit.IN_FLIGHT_DIR)).isZero();
  }

  @Test
  void readersPollingDuringCommitsNeverSeeAMissingPartialOrMixedView() throws Exception {
    Path root = newRoot();
    commit(root, "night-0", "version-0");
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService readers = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> polls = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        polls.add(
            readers.submit(
                () -> {
                  int views = 0;
                  while (!done.get()) {
                    List<String> seen = view(root);
                    assertThat(seen.get(0)).startsWith("version-");
                    assertThat(seen.get(1))
                        .as("the same version in both outputs")
                        .isEqualTo(seen.get(0));
                    views++;
                  }
                  return views;
                }));
      }
      for (int i = 1; i <= commits(); i++) {
        commit(root, "night-" + i, "version-" + i);
      }
      done.set(true);
      for (Future<Integer> poll : polls) {
        assertThat(poll.get()).isPositive();
      }
    } finally {
      done.set(true);
      readers.shutdownNow();
    }
    assertThat(view(root)).containsExactly("version-" + commits(), "version-" + commits());
  }

  /** How many commits the readers poll through. */
  int commits() {
    return 15;
  }

  @Test
  void namesThatCouldClimbOutOfTheirFoldersAreRefused() throws IOException {
    Path root = newRoot();
    for (String runId : new String[] {".", "..", ".x", "a/b", ""}) {
      assertThatThrownBy(
              () -> CommitUnit.begin(conf(), layout(root), "train", runId, CommitFence.NONE))
          .as("run id '%s'", runId)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a plain name");
    }
    assertThatThrownBy(() -> CommitUnit.begin(conf(), layout(root), "..", "run", CommitFence.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    try (CommitUnit unit =
        CommitUnit.begin(conf(), layout(root), "train", "run", CommitFence.NONE)) {
      assertThatThrownBy(() -> unit.stage(new Path(root, "models/run_date=" + DATE + "/../../x")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> unit.stage(new Path(root, "models/run_date=2025-01-01")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not in the partition run_date=" + DATE);
      assertThatThrownBy(() -> unit.stage(root.getParent()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Stands for the driver's death: thrown from a step, caught by nothing in the protocol. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;
  }
}
