package dev.nightjar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.PipelineConfig;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.CommitUnit;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.StagedOutput;
import dev.nightjar.testing.MiniHdfs;
import dev.nightjar.testing.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLockTest {
  @TempDir Path root;
  private final Configuration conf = new Configuration();

  /**
   * Expiry and renewal long enough that no renewal happens during a test, unless it says otherwise.
   */
  private static final PipelineConfig HOURS =
      PipelineConfig.builder()
          .lockExpiry(Duration.ofHours(2))
          .lockRenewal(Duration.ofHours(1))
          .build();

  private org.apache.hadoop.fs.Path rootPath() {
    return new org.apache.hadoop.fs.Path(root.toUri());
  }

  private Lease acquire(String runId, PipelineConfig settings, Clock clock) {
    return PipelineLock.acquire(conf, rootPath(), runId, settings, clock);
  }

  private Lease acquire(String runId) {
    return acquire(runId, HOURS, Clock.systemUTC());
  }

  /** Makes {@code lease}'s holder look dead: its file last renewed three hours ago. */
  private static void stopRenewing(Lease lease, Configuration conf) throws java.io.IOException {
    lease
        .file()
        .getFileSystem(conf)
        .setTimes(lease.file(), Instant.now().minus(Duration.ofHours(3)).toEpochMilli(), -1);
  }

  @Test
  void aSecondJobIsRefusedWhileTheFirstHoldsTheLockAndTakesItOnceReleased() {
    try (Lease first = acquire("night-1")) {
      assertThat(first.generation()).isEqualTo(1);
      assertThatThrownBy(() -> acquire("night-2"))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("another run holds the lock")
          .hasMessageContaining("run night-1 (generation 1, pid " + ProcessHandle.current().pid());
    }
    assertThat(root.resolve("_lock/gen-0000000001.released")).exists();
    try (Lease second = acquire("night-2")) {
      assertThat(second.generation()).as("generations only grow, across releases too").isEqualTo(2);
      assertThat(root.resolve("_lock")).isDirectoryNotContaining("glob:**/gen-0000000001*");
    }
  }

  @Test
  void ofStartersRacingOnTheLocalDiskExactlyOneWins() throws Exception {
    race(() -> acquire("racer-" + Thread.currentThread().getId()), 4, 25);
  }

  @Test
  void ofStartersRacingToTakeOverAnExpiredLockExactlyOneWins() throws Exception {
    for (int round = 0; round < 10; round++) {
      Lease dead = acquire("dead-" + round);
      stopRenewing(dead, conf);
      race(() -> acquire("taker-" + Thread.currentThread().getId()), 4, 1);
      dead.close();
    }
  }

  @Test
  void ofStartersRacingOnHdfsExactlyOneWins(@TempDir Path hdfsBase) throws Exception {
    try (MiniHdfs hdfs = MiniHdfs.start(hdfsBase, 1)) {
      org.apache.hadoop.fs.Path hdfsRoot = hdfs.path("/nightjar");
      Configuration base = hdfs.fileSystem().getConf();
      // Each racer its own client, as separate jobs have: the NameNode decides between them.
      Supplier<Configuration> ownClient =
          () -> {
            Configuration client = new Configuration(base);
            client.setBoolean("fs.hdfs.impl.disable.cache", true);
            return client;
          };
      race(
          () ->
              PipelineLock.acquire(
                  ownClient.get(),
                  hdfsRoot,
                  "racer-" + Thread.currentThread().getId(),
                  HOURS,
                  Clock.systemUTC()),
          3,
          8);
      for (int round = 0; round < 3; round++) {
        Lease dead =
            PipelineLock.acquire(
                ownClient.get(), hdfsRoot, "dead-" + round, HOURS, Clock.systemUTC());
        stopRenewing(dead, base);
        race(
            () ->
                PipelineLock.acquire(
                    ownClient.get(),
                    hdfsRoot,
                    "taker-" + Thread.currentThread().getId(),
                    HOURS,
                    Clock.systemUTC()),
            3,
            1);
        dead.close();
      }
      // A lease on HDFS is renewed by setting its file's modification time.
      PipelineConfig seconds =
          PipelineConfig.builder()
              .lockExpiry(Duration.ofSeconds(5))
              .lockRenewal(Duration.ofMillis(300))
              .build();
      try (Lease renewing =
          PipelineLock.acquire(ownClient.get(), hdfsRoot, "renewing", seconds, Clock.systemUTC())) {
        long created = hdfs.fileSystem().getFileStatus(renewing.file()).getModificationTime();
        Thread.sleep(1_500);
        assertThat(hdfs.fileSystem().getFileStatus(renewing.file()).getModificationTime())
            .isGreaterThan(created);
        renewing.check(hdfs.path("/nightjar/models"));
      }
    }
  }

  /**
   * {@code threads} starters call {@code acquire} at once, {@code rounds} times: each time exactly
   * one wins.
   */
  private static void race(Supplier<Lease> acquire, int threads, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Lease> winners = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> racers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          racers.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      winners.add(acquire.get());
                    } catch (LockHeldException refused) {
                      // The loser's share of the race.
                    }
                    return null;
                  }));
        }
        for (Future<?> racer : racers) {
          racer.get();
        }
        assertThat(winners).as("winners of round %d", round).hasSize(1);
        winners.forEach(Lease::close);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aHolderThatRenewsIsNotTakenOverPastItsExpiry() throws Exception {
    PipelineConfig seconds =
        PipelineConfig.builder()
            .lockExpiry(Duration.ofSeconds(2))
            .lockRenewal(Duration.ofMillis(200))
            .build();
    try (Lease slow = acquire("slow", seconds, Clock.systemUTC())) {
      Thread.sleep(3_000);
      assertThatThrownBy(() -> acquire("eager", seconds, Clock.systemUTC()))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("run slow");
      slow.check(new org.apache.hadoop.fs.Path(root.toUri().toString(), "models"));
    }
  }

  @Test
  void aHolderThatLostItsLeaseCannotCommitNorReleaseItsSuccessorsLock() throws Exception {
    Lease stalled = acquire("stalled");
    CommitUnit unit =
        CommitUnit.begin(
            conf,
            new OutputLayout(root.toUri().toString(), LocalDate.parse("2026-01-01")),
            "train",
            "stalled",
            stalled);
    StagedOutput output =
        unit.stage(
            new org.apache.hadoop.fs.Path(root.resolve("models/run_date=2026-01-01").toUri()));
    Files.writeString(Path.of(output.path().toUri()).resolve("model.zip"), "stale model");
    output.complete();

    // Nothing renewed it for three hours: a new starter takes the lock over and sweeps the
    // version it was writing.
    stopRenewing(stalled, conf);
    Lease successor = acquire("successor");
    assertThat(successor.generation()).isEqualTo(2);
    assertThat(Path.of(output.path().toUri())).doesNotExist();

    assertThatThrownBy(unit::commit)
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("run stalled lost the lock")
        .hasMessageContaining("generation 2 took it over for run successor");
    unit.close();
    assertThat(root.resolve("models")).doesNotExist();
    assertThat(root.resolve("_commits/run_date=2026-01-01")).doesNotExist();

    stalled.close();
    assertThat(root.resolve("_lock/gen-0000000002")).exists();
    assertThat(root.resolve("_lock/gen-0000000002.released")).doesNotExist();
    assertThatThrownBy(() -> acquire("third"))
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining("run successor");
    successor.close();
  }

  @Test
  void aHolderThatCouldNotRenewStopsCommittingBeforeItMayBeTakenOver() {
    MovableClock clock = new MovableClock();
    PipelineConfig settings =
        PipelineConfig.builder()
            .lockExpiry(Duration.ofMinutes(10))
            .lockRenewal(Duration.ofMinutes(4))
            .build();
    try (Lease lease = acquire("unrenewed", settings, clock)) {
      org.apache.hadoop.fs.Path target =
          new org.apache.hadoop.fs.Path(root.toUri().toString(), "predictions");
      clock.move(Duration.ofMinutes(5));
      lease.check(target);
      // 6 of the 10 minutes without a renewal: past the expiry less one renewal, still before
      // anyone may take over.
      clock.move(Duration.ofMinutes(1).plusSeconds(1));
      assertThatThrownBy(() -> lease.check(target))
          .isInstanceOf(LeaseLostException.class)
          .hasMessageContaining("not renewed for 361 s");
      clock.move(Duration.ofMinutes(-6));
      assertThatThrownBy(() -> lease.check(target))
          .as("lost for good")
          .isInstanceOf(LeaseLostException.class);
    }
  }

  @Test
  void aLockFileHoldingDotDotOrGarbageDeletesNothingAndIsTakenOverOnlyAfterItsExpiry()
      throws Exception {
    Path otherRun;
    try (CommitUnit unit =
        CommitUnit.begin(
            conf,
            new OutputLayout(root.toUri().toString(), LocalDate.parse("2026-01-01")),
            "train",
            "night-2",
            CommitFence.NONE)) {
      StagedOutput models =
          unit.stage(
              new org.apache.hadoop.fs.Path(root.resolve("models/run_date=2026-01-01").toUri()));
      otherRun = Files.writeString(Path.of(models.path().toUri()).resolve("model.zip"), "model");
      models.complete();
      unit.commit();
    }
    Path sentinel = Files.writeString(root.resolve("keep.txt"), "kept");
    // A file where the lock folder belongs, naming the run "..": what a hand-written lock may hold.
    Path file =
        Files.writeString(
            root.resolve("_lock"), "{\"host\":\"elsewhere\",\"pid\":1,\"runId\":\"..\"}");
    assertThatThrownBy(() -> acquire("night-3"))
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining(root.resolve("_lock").toString())
        .hasMessageContaining("cannot read");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
    acquire("night-3").close();
    assertThat(root.resolve("_lock")).isDirectory();

    // The newest generation's file empty (its writer died), garbage, or naming the run "..": held
    // until its expiry, then taken over.
    for (long generation : new long[] {5, 9, 20}) {
      Path lockFile = root.resolve(String.format("_lock/gen-%010d", generation));
      String content =
          generation == 5
              ? ""
              : generation == 9
                  ? "garbage {"
                  : JsonFiles.toJson(
                      new LeaseRecord(
                          "..", generation, "token", "elsewhere", 1, "2026-01-01T00:00:00Z"));
      Files.writeString(lockFile, content);
      assertThatThrownBy(() -> acquire("night-4"))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining(
              generation == 20 ? "run .. (generation 20" : lockFile + " cannot be read");
      Files.setLastModifiedTime(lockFile, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
      try (Lease taker = acquire("night-4")) {
        assertThat(taker.generation()).isEqualTo(generation + 1);
      }
    }
    assertThat(otherRun).hasContent("model");
    assertThat(sentinel).hasContent("kept");
  }

  @Test
  void anOutputRootOnAnObjectStoreNeedsALockUri(@TempDir Path locks) {
    org.apache.hadoop.fs.Path s3Root = new org.apache.hadoop.fs.Path("s3a://bucket/nightjar");
    assertThatThrownBy(
            () -> PipelineLock.acquire(conf, s3Root, "night-1", HOURS, Clock.systemUTC()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("nightjar.pipeline.lock-uri is empty")
        .hasMessageContaining("s3a:// cannot create a file exclusively");
    PipelineConfig elsewhere =
        PipelineConfig.builder()
            .lockExpiry(Duration.ofHours(2))
            .lockRenewal(Duration.ofHours(1))
            .lockUri("s3a://bucket/locks")
            .build();
    assertThatThrownBy(
            () -> PipelineLock.acquire(conf, s3Root, "night-1", elsewhere, Clock.systemUTC()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("nightjar.pipeline.lock-uri = s3a://bucket/locks");
  }

  @Test
  void anOutputRootOnS3IsLockedThroughItsLockUriAndOfStartersRacingExactlyOneWins(
      @TempDir Path locks, @TempDir Path scratch) throws Exception {
    try (S3Server s3 = S3Server.inMemory(scratch)) {
      Configuration s3Conf = s3.configure(new Configuration());
      org.apache.hadoop.fs.Path s3Root = new org.apache.hadoop.fs.Path(s3.uri("nightjar"));
      PipelineConfig local =
          PipelineConfig.builder()
              .lockExpiry(Duration.ofHours(2))
              .lockRenewal(Duration.ofHours(1))
              .lockUri(locks.toUri().toString())
              .build();
      try (Lease lease =
          PipelineLock.acquire(s3Conf, s3Root, "night-1", local, Clock.systemUTC())) {
        assertThat(locks.resolve("gen-0000000001")).exists();
        assertThatThrownBy(
                () -> PipelineLock.acquire(s3Conf, s3Root, "night-2", local, Clock.systemUTC()))
            .isInstanceOf(LockHeldException.class);
      }
      race(() -> PipelineLock.acquire(s3Conf, s3Root, "racer", local, Clock.systemUTC()), 4, 5);
    }
  }

  /** A clock the test moves by hand. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void move(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
