package dev.nightjar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.io.JsonFiles;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLockTest {
  @TempDir Path root;
  private final Configuration conf = new Configuration();

  private org.apache.hadoop.fs.Path rootPath() {
    return new org.apache.hadoop.fs.Path(root.toUri());
  }

  @Test
  void aSecondPipelineIsRefusedUntilTheFirstReleases() {
    try (PipelineLock first = PipelineLock.acquire(conf, rootPath(), "night-1", Duration.ofHours(24))) {
      assertThatThrownBy(() -> PipelineLock.acquire(conf, rootPath(), "night-2", Duration.ofHours(24)))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("another pipeline holds")
          .hasMessageContaining("run night-1, pid " + ProcessHandle.current().pid());
    }
    assertThat(root.resolve(PipelineLock.FILE)).doesNotExist();
    PipelineLock.acquire(conf, rootPath(), "night-2", Duration.ofHours(24)).close();
  }

  @Test
  void aLockWhoseProcessIsGoneIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    writeLock(new PipelineLock.Holder(InetAddress.getLocalHost().getHostName(), gone.pid(), "crashed", Instant.now().toString()));
    Path abandoned = Files.createDirectories(root.resolve("_staging/crashed/predictions/run_date=2026-01-01/_temporary"));
    Files.writeString(abandoned.resolve("part-00000.parquet"), "half written");
    Path otherRun = Files.createDirectories(root.resolve("_staging/night-2/models"));
    PipelineLock.acquire(conf, rootPath(), "night-3", Duration.ofHours(24)).close();
    // What the dead run staged is gone; another run's staging is not its to delete.
    assertThat(root.resolve("_staging/crashed")).doesNotExist();
    assertThat(otherRun).isDirectory();
  }

  @Test
  void anExpiredLockIsTakenOver() throws Exception {
    writeLock(new PipelineLock.Holder("elsewhere", 1, "old", Instant.now().minus(Duration.ofHours(30)).toString()));
    PipelineLock.acquire(conf, rootPath(), "night-4", Duration.ofHours(24)).close();
    writeLock(new PipelineLock.Holder("elsewhere", 1, "recent", Instant.now().toString()));
    assertThatThrownBy(() -> PipelineLock.acquire(conf, rootPath(), "night-5", Duration.ofHours(24)))
        .isInstanceOf(LockHeldException.class).hasMessageContaining("run recent");
  }

  private void writeLock(PipelineLock.Holder holder) throws Exception {
    Files.writeString(root.resolve(PipelineLock.FILE), JsonFiles.toJson(holder));
  }
}
