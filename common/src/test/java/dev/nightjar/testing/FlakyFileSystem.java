package dev.nightjar.testing;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PositionedReadable;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.Seekable;

/**
 * The local disk under the scheme {@code flaky://}, whose reads time out as a remote store's do:
 * after {@link #failReads}, the next N files opened fail on their first read with a {@link
 * SocketTimeoutException}. Opening succeeds, so the failure comes mid-read, where a parse of the
 * stream would meet it.
 */
public final class FlakyFileSystem extends FilterFileSystem {
  public static final String SCHEME = "flaky";
  private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

  public FlakyFileSystem() {
    super(new LocalUnderScheme());
  }

  /** A Hadoop configuration that serves {@code flaky://} with this class. */
  public static Configuration register(Configuration conf) {
    conf.set("fs." + SCHEME + ".impl", FlakyFileSystem.class.getName());
    conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    return conf;
  }

  /** {@code flaky://} plus the local path of {@code file}. */
  public static Path path(java.nio.file.Path file) {
    return new Path(SCHEME + "://" + file.toAbsolutePath());
  }

  /** Makes the next {@code files} files opened time out on their first read. */
  public static void failReads(int files) {
    FAILURES_LEFT.set(files);
  }

  /** Reads that were set to fail and have not yet. */
  public static int failuresLeft() {
    return FAILURES_LEFT.get();
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    FSDataInputStream in = super.open(path, bufferSize);
    if (FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      in.close();
      return new FSDataInputStream(new TimingOut(path));
    }
    return in;
  }

  /** The raw local file system under another scheme, so paths keep {@code flaky://}. */
  private static final class LocalUnderScheme extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }
  }

  /** A stream whose every read times out. */
  private static final class TimingOut extends FSInputStream
      implements Seekable, PositionedReadable {
    private final Path path;

    TimingOut(Path path) {
      this.path = path;
    }

    @Override
    public int read() throws IOException {
      throw new SocketTimeoutException("Read timed out reading " + path + " (injected)");
    }

    @Override
    public void seek(long pos) {}

    @Override
    public long getPos() {
      return 0;
    }

    @Override
    public boolean seekToNewSource(long targetPos) {
      return false;
    }
  }
}
