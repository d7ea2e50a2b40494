package dev.nightjar.run;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.config.PipelineConfig;
import dev.nightjar.io.ExclusiveFiles;
import dev.nightjar.io.PublishedOutputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job at a time per output root. The lock is a folder of generations ({@link LockFolder}): a
 * starter creates the file of the generation after the newest one exclusively, so of two starters
 * racing for the same generation exactly one wins. It may do so when the newest generation was
 * released, or when its lease was not renewed for the expiry: its holder is dead, or too stalled to
 * be trusted, and will commit nothing more ({@link Lease#check}). Liveness is the renewal time
 * alone, never a host name or process id.
 */
public final class PipelineLock {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineLock.class);

  /** The lock folder under the output root, unless {@code pipeline.lock-uri} names another. */
  public static final String FOLDER = "_lock";

  private PipelineLock() {}

  /**
   * Takes the lock of {@code config}'s output root for its run; {@link LockHeldException} when
   * held.
   */
  public static Lease acquire(Configuration conf, NightjarConfig config) {
    return acquire(
        conf, new Path(config.outputRoot()), config.runId(), config.pipeline(), Clock.systemUTC());
  }

  static Lease acquire(
      Configuration conf, Path outputRoot, String runId, PipelineConfig settings, Clock clock) {
    LockFolder folder = folder(conf, outputRoot, settings.lockUri());
    Duration expiry = settings.lockExpiry();
    String token = UUID.randomUUID().toString();
    try {
      if (settings.lockUri().isBlank()) {
        takeOverForeignFile(folder, expiry, clock, token);
      }
      folder.makeFolder();
      Optional<LockFolder.Generation> newest = folder.newest();
      if (newest.isPresent() && !newest.get().released()) {
        LockFolder.Generation held = newest.get();
        Duration silent = Duration.between(held.renewedAt(), clock.instant());
        if (!held.problem().isEmpty()) {
          LOG.warn(
              "Lock file {} cannot be read ({}); it counts as held until unchanged for {} s, then it is "
                  + "taken over and nothing it names is deleted",
              held.file(),
              held.problem(),
              expiry.toSeconds());
        }
        if (silent.compareTo(expiry) < 0) {
          throw new LockHeldException(held(held, silent, expiry));
        }
        LOG.warn(
            "Taking over the lock {} from {}: not renewed for {} s",
            folder.dir(),
            who(held),
            silent.toSeconds());
      }
      long generation = newest.map(g -> g.number() + 1).orElse(1L);
      Instant start = clock.instant();
      LeaseRecord me =
          new LeaseRecord(
              runId,
              generation,
              token,
              hostName(),
              ProcessHandle.current().pid(),
              start.toString());
      if (!folder.create(me)) {
        throw new LockHeldException(
            "another run took the lock " + folder.dir() + " first (generation " + generation + ")");
      }
      // A starter that listed long ago may create a generation a later holder already passed.
      long current = folder.newest().map(LockFolder.Generation::number).orElse(-1L);
      if (current != generation) {
        folder.delete(generation);
        throw new LockHeldException(
            "another run took the lock "
                + folder.dir()
                + " meanwhile (generation "
                + current
                + ")");
      }
      folder.deleteBefore(generation);
      LOG.info("Took the lock {} as generation {} for run {}", folder.dir(), generation, runId);
      Lease lease = Lease.start(folder, me, start, settings, clock);
      try {
        // Holding the lock, and before staging anything: every version in flight is a dead run's.
        PublishedOutputs.sweep(conf, outputRoot, settings.versionGrace(), clock);
      } catch (RuntimeException e) {
        lease.close();
        throw e;
      }
      return lease;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot take the lock " + folder.dir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where the lock of {@code outputRoot} lives: {@code lockUri}, or the root's {@code _lock}. It
   * must be on a file system that creates files exclusively, or the lock would not exclude.
   */
  static LockFolder folder(Configuration conf, Path outputRoot, String lockUri) {
    boolean configured = !lockUri.isBlank();
    Path dir = configured ? new Path(lockUri) : new Path(outputRoot, FOLDER);
    String scheme =
        dir.toUri().getScheme() != null
            ? dir.toUri().getScheme()
            : FileSystem.getDefaultUri(conf).getScheme();
    if (!ExclusiveFiles.supports(scheme)) {
      throw new ConfigException(
          configured
              ? ConfigKeys.PIPELINE_LOCK_URI
                  + " = "
                  + lockUri
                  + ": "
                  + scheme
                  + ":// cannot create a file exclusively, "
                  + "which the lock needs; name a folder on hdfs:// or a local disk that every job of the output root shares"
              : ConfigKeys.PIPELINE_LOCK_URI
                  + " is empty, so the lock would live under the output root "
                  + outputRoot
                  + ", but "
                  + scheme
                  + ":// cannot create a file exclusively; set it to a folder on hdfs:// or a local "
                  + "disk that every job of the output root shares");
    }
    try {
      FileSystem fs = dir.getFileSystem(conf);
      LockFolder folder = new LockFolder(fs, fs.makeQualified(dir));
      if (configured && folder.foreignFile().isPresent()) {
        throw new ConfigException(
            ConfigKeys.PIPELINE_LOCK_URI + " = " + lockUri + ": a file, not a folder");
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the lock " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A file where the lock folder belongs (a lock of another format, or anything written there) is
   * held until unchanged for the expiry, then renamed aside and deleted; nothing it names is.
   */
  private static void takeOverForeignFile(
      LockFolder folder, Duration expiry, Clock clock, String token) throws IOException {
    Optional<FileStatus> file = folder.foreignFile();
    if (file.isEmpty()) {
      return;
    }
    Duration silent =
        Duration.between(Instant.ofEpochMilli(file.get().getModificationTime()), clock.instant());
    LOG.warn(
        "Lock file {} is a file, not a lock folder; it counts as held until unchanged for {} s, then it is "
            + "taken over and nothing it names is deleted",
        folder.dir(),
        expiry.toSeconds());
    if (silent.compareTo(expiry) < 0) {
      throw new LockHeldException(
          "the lock "
              + folder.dir()
              + " is a file this version cannot read, changed "
              + silent.toSeconds()
              + " s ago; it is taken over once unchanged for "
              + expiry.toSeconds()
              + " s");
    }
    if (folder.removeForeignFile(token)) {
      LOG.warn(
          "Took over the lock file {}, unchanged for {} s, and deleted it",
          folder.dir(),
          silent.toSeconds());
    }
  }

  private static String held(LockFolder.Generation held, Duration silent, Duration expiry) {
    return held.holder()
        .map(
            h ->
                "another run holds the lock "
                    + held.file().getParent()
                    + ": run "
                    + h.runId()
                    + " (generation "
                    + h.generation()
                    + ", pid "
                    + h.pid()
                    + " on "
                    + h.host()
                    + "), renewed "
                    + silent.toSeconds()
                    + " s ago; it is taken over once not renewed for "
                    + expiry.toSeconds()
                    + " s")
        .orElse(
            "the lock file "
                + held.file()
                + " cannot be read ("
                + held.problem()
                + "), changed "
                + silent.toSeconds()
                + " s ago; it is taken over once unchanged for "
                + expiry.toSeconds()
                + " s");
  }

  private static String who(LockFolder.Generation held) {
    return held.holder()
        .map(h -> "run " + h.runId() + " (generation " + h.generation() + ")")
        .orElse("the unreadable " + held.file());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
