package dev.nightjar.run;

import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.StagedOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline at a time per output root: a {@code _lock} file created exclusively. A crashed
 * holder does not block the next night: a lock whose process is gone (same host) or that is older
 * than its expiry is taken over.
 */
public final class PipelineLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineLock.class);
  public static final String FILE = "_lock";

  /** Who holds the lock, as written in the lock file. */
  public record Holder(String host, long pid, String runId, String acquiredAt) {}

  private final FileSystem fs;
  private final Path file;
  private final Holder holder;

  private PipelineLock(FileSystem fs, Path file, Holder holder) {
    this.fs = fs;
    this.file = file;
    this.holder = holder;
  }

  public static PipelineLock acquire(Configuration conf, Path root, String runId, Duration expiry) {
    Holder me = new Holder(hostName(), ProcessHandle.current().pid(), runId, Instant.now().toString());
    Path file = new Path(root, FILE);
    try {
      FileSystem fs = file.getFileSystem(conf);
      fs.mkdirs(root);
      for (int attempt = 0; attempt < 2; attempt++) {
        try (OutputStream out = fs.create(file, false)) {
          out.write(JsonFiles.toJson(me).getBytes(StandardCharsets.UTF_8));
          LOG.info("Took the lock {}", file);
          return new PipelineLock(fs, file, me);
        } catch (FileAlreadyExistsException e) {
          Holder other = JsonFiles.read(conf, file, Holder.class);
          String staleness = staleness(other, expiry);
          if (staleness == null) {
            throw new LockHeldException("another pipeline holds " + file + ": run " + other.runId() + ", pid "
                + other.pid() + " on " + other.host() + ", since " + other.acquiredAt());
          }
          LOG.warn("Taking over the lock {} of run {}: {}", file, other.runId(), staleness);
          // The dead run will never commit what it staged; without this each crash leaves its files for good.
          StagedOutput.discardAbandoned(conf, root, other.runId());
          fs.delete(file, false);
        }
      }
      throw new LockHeldException("could not take " + file + ": another pipeline took it first");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** Why the holder's lock no longer counts, or null if it does. */
  private static String staleness(Holder other, Duration expiry) {
    if (Instant.parse(other.acquiredAt()).plus(expiry).isBefore(Instant.now())) {
      return "it is older than " + expiry.toHours() + " hours";
    }
    if (other.host().equals(hostName()) && ProcessHandle.of(other.pid()).map(p -> !p.isAlive()).orElse(true)) {
      return "its process " + other.pid() + " is gone";
    }
    return null;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    try {
      Holder current = JsonFiles.read(fs.getConf(), file, Holder.class);
      if (current.equals(holder)) {
        fs.delete(file, false);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not release the lock {}: {}", file, e.getMessage());
    }
  }
}
