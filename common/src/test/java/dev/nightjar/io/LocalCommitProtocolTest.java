package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol on the local file system. */
class LocalCommitProtocolTest extends CommitProtocolContract {
  @TempDir java.nio.file.Path dir;
  private final Configuration conf = new Configuration();
  private int roots;

  @Override
  Configuration conf() {
    return conf;
  }

  @Override
  Path newRoot() {
    return new Path(dir.resolve("root-" + roots++).toUri());
  }

  @Test
  void refusesATargetReachedThroughASymbolicLink(@TempDir java.nio.file.Path elsewhere)
      throws Exception {
    java.nio.file.Path root = Files.createDirectories(dir.resolve("linked-root"));
    Files.createSymbolicLink(root.resolve("models"), elsewhere);
    try (CommitUnit unit =
        CommitUnit.begin(
            conf,
            new OutputLayout(root.toUri().toString(), LocalDate.parse("2026-01-01")),
            "train",
            "run",
            CommitFence.NONE)) {
      assertThatThrownBy(
              () -> unit.stage(new Path(root.resolve("models/run_date=2026-01-01").toUri())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("symbolic link");
    }
    try (var files = Files.list(elsewhere)) {
      assertThat(files.count()).isZero();
    }
  }
}
