package dev.nightjar.testing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Watches a folder from another thread while a stage writes into it: remembers the most files seen
 * at once, and runs an action once, as soon as a file the trigger accepts appears (e.g. stops a
 * DataNode while that file is being written).
 */
public final class FolderWatcher implements AutoCloseable {
  private static final long POLL_MILLIS = 5;

  /** What to do when the trigger fires; may throw. */
  @FunctionalInterface
  public interface Action {
    void run(Path file) throws Exception;
  }

  private final FileSystem fs;
  private final Path dir;
  private final Predicate<Path> trigger;
  private final Action action;
  private final AtomicInteger mostFiles = new AtomicInteger();
  private final Thread thread;
  private volatile Path firedBy;
  private volatile int filesWhenFired;
  private volatile Throwable failure;

  private FolderWatcher(FileSystem fs, Path dir, Predicate<Path> trigger, Action action) {
    this.fs = fs;
    this.dir = dir;
    this.trigger = trigger;
    this.action = action;
    this.thread = new Thread(this::poll, "folder-watcher");
    thread.setDaemon(true);
  }

  /**
   * Starts watching {@code dir}, which need not exist yet and may be a glob pattern (e.g. {@code
   * _versions/*-infer-run}: the folders it matches); {@code action} runs on the first file {@code
   * trigger} accepts.
   */
  public static FolderWatcher start(
      FileSystem fs, Path dir, Predicate<Path> trigger, Action action) {
    FolderWatcher watcher = new FolderWatcher(fs, dir, trigger, action);
    watcher.thread.start();
    return watcher;
  }

  /** Starts counting the files below {@code dir}, with no action. */
  public static FolderWatcher start(FileSystem fs, Path dir) {
    return start(fs, dir, file -> false, file -> {});
  }

  private void poll() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        int files = 0;
        Path matched = null;
        try {
          FileStatus[] dirs = fs.globStatus(dir);
          for (FileStatus watched : dirs == null ? new FileStatus[0] : dirs) {
            RemoteIterator<LocatedFileStatus> listing = fs.listFiles(watched.getPath(), true);
            while (listing.hasNext()) {
              Path file = listing.next().getPath();
              files++;
              if (matched == null && firedBy == null && trigger.test(file)) {
                matched = file;
              }
            }
          }
        } catch (FileNotFoundException e) {
          // Not created yet, or a file moved between listing and reading: look again.
        }
        mostFiles.accumulateAndGet(files, Math::max);
        if (matched != null) {
          filesWhenFired = files;
          action.run(matched);
          firedBy = matched;
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (!Thread.currentThread().isInterrupted()) {
        failure = e;
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  /** The most files that were below the folder at once. */
  public int mostFiles() {
    return mostFiles.get();
  }

  /** The file that fired the action, if one did. */
  public Optional<Path> firedBy() {
    return Optional.ofNullable(firedBy);
  }

  /** How many files were below the folder when the action ran. */
  public int filesWhenFired() {
    return filesWhenFired;
  }

  /** Stops watching; rethrows what the action or the polling failed with. */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw new AssertionError("watching " + dir + " failed", failure);
    }
  }
}
