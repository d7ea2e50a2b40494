package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedOutputTest {
  @TempDir Path root;
  private final Configuration conf = new Configuration();

  private org.apache.hadoop.fs.Path target() {
    return new org.apache.hadoop.fs.Path(root.resolve("table/run_date=2026-01-01").toUri());
  }

  private void stage(String runId, String content, boolean commit) throws Exception {
    try (StagedOutput out =
        StagedOutput.begin(
            conf, new org.apache.hadoop.fs.Path(root.toUri()), target(), runId, CommitFence.NONE)) {
      Files.writeString(Path.of(out.path().toUri()).resolve("data.txt"), content);
      Path published = root.resolve("table/run_date=2026-01-01/data.txt");
      // Nothing staged is visible before the commit.
      assertThat(Files.exists(published) ? Files.readString(published) : "").isNotEqualTo(content);
      if (commit) {
        out.commit();
      }
    }
  }

  @Test
  void commitPublishesAndARerunReplaces() throws Exception {
    stage("run-1", "first", true);
    assertThat(Files.readString(root.resolve("table/run_date=2026-01-01/data.txt")))
        .isEqualTo("first");
    stage("run-2", "second", true);
    assertThat(Files.readString(root.resolve("table/run_date=2026-01-01/data.txt")))
        .isEqualTo("second");
    assertThat(root.resolve("_staging/run-2")).doesNotExist();
    assertThat(root.resolve("_trash/run-2/table")).doesNotExist();
  }

  @Test
  void aFailedRunLeavesThePreviousOutputUntouched() throws Exception {
    stage("run-1", "first", true);
    stage("run-2", "half-written", false);
    assertThat(Files.readString(root.resolve("table/run_date=2026-01-01/data.txt")))
        .isEqualTo("first");
    assertThat(root.resolve("_staging/run-2/table/run_date=2026-01-01")).doesNotExist();
  }

  @Test
  void refusesTargetsOutsideTheRoot() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                StagedOutput.begin(
                    conf,
                    new org.apache.hadoop.fs.Path(root.resolve("a").toUri()),
                    new org.apache.hadoop.fs.Path(root.resolve("b/c").toUri()),
                    "run",
                    CommitFence.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not below the output root");
  }

  @Test
  void nothingIsWrittenOutsideTheRoot(@TempDir Path elsewhere) throws Exception {
    org.apache.hadoop.fs.Path rootPath = new org.apache.hadoop.fs.Path(root.toUri());
    // A run id that climbs out of the staging folder.
    assertThatThrownBy(
            () -> StagedOutput.begin(conf, rootPath, target(), "../../escape", CommitFence.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a plain name");
    // A run id that is the staging folder's parent.
    assertThatThrownBy(() -> StagedOutput.begin(conf, rootPath, target(), "..", CommitFence.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a plain name");
    // A target that climbs out of the root.
    assertThatThrownBy(
            () ->
                StagedOutput.begin(
                    conf,
                    rootPath,
                    new org.apache.hadoop.fs.Path(root.toUri().toString() + "/table/../../outside"),
                    "run",
                    CommitFence.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    // A table folder that is a symbolic link to somewhere else.
    Files.createSymbolicLink(root.resolve("linked"), elsewhere);
    assertThatThrownBy(
            () ->
                StagedOutput.begin(
                    conf,
                    rootPath,
                    new org.apache.hadoop.fs.Path(
                        root.resolve("linked/run_date=2026-01-01").toUri()),
                    "run",
                    CommitFence.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symbolic link");
    try (var files = Files.list(elsewhere)) {
      assertThat(files.count()).isZero();
    }
    assertThat(root.resolve("_staging"))
        .satisfiesAnyOf(
            p -> assertThat(p).doesNotExist(), p -> assertThat(Files.list(p).count()).isZero());
  }
}
