package dev.nightjar.run;

import dev.nightjar.io.ExclusiveFiles;
import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of a lock folder. Each holder of the lock is one generation: a file {@code
 * gen-NNNNNNNNNN} created exclusively, holding its {@link LeaseRecord}, whose modification time is
 * the lease's last renewal. {@code gen-N.released} says generation N let go. The newest generation
 * is the lock's state; the next holder deletes the older ones. A file is never rewritten, so a
 * reader sees a record whole, empty (its writer has not finished or died) or not at all.
 */
final class LockFolder {
  private static final Pattern NAME = Pattern.compile("gen-(\\d{10,18})(\\.released)?");
  private static final String RELEASED = ".released";

  /**
   * The newest generation as a starter sees it.
   *
   * @param renewedAt the file's modification time: when its holder last renewed it
   * @param holder its record; empty when the file cannot be read or does not name this generation
   * @param problem why the holder is empty, for the log; empty otherwise
   */
  record Generation(
      long number,
      Path file,
      Instant renewedAt,
      boolean released,
      Optional<LeaseRecord> holder,
      String problem) {}

  private final FileSystem fs;
  private final Path dir;

  LockFolder(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Path file(long generation) {
    return new Path(dir, String.format("gen-%010d", generation));
  }

  /**
   * The folder's own path when it is a file: a lock of another format, or anything else put there.
   */
  Optional<FileStatus> foreignFile() throws IOException {
    try {
      FileStatus status = fs.getFileStatus(dir);
      return status.isFile() ? Optional.of(status) : Optional.empty();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Renames a foreign file at the folder's path aside and deletes it. Rename is atomic, so of two
   * starters taking it over one renames it; false for the other.
   */
  boolean removeForeignFile(String token) throws IOException {
    Path aside = new Path(dir.getParent(), dir.getName() + ".taken-over-" + token);
    if (!fs.rename(dir, aside)) {
      return false;
    }
    fs.delete(aside, false);
    return true;
  }

  void makeFolder() throws IOException {
    fs.mkdirs(dir);
  }

  /** The newest generation, or empty when the folder holds none. */
  Optional<Generation> newest() throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return newestListed();
      } catch (FileNotFoundException e) {
        // A newer holder deleted the listed file between the listing and the read: list again.
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private Optional<Generation> newestListed() throws IOException {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    long newest = -1;
    FileStatus file = null;
    boolean released = false;
    for (FileStatus entry : entries) {
      Matcher name = NAME.matcher(entry.getPath().getName());
      if (!name.matches()) {
        continue;
      }
      long number = Long.parseLong(name.group(1));
      if (number > newest) {
        newest = number;
        file = null;
        released = false;
      }
      if (number == newest) {
        if (name.group(2) != null) {
          released = true;
        } else {
          file = entry;
        }
      }
    }
    if (newest < 0) {
      return Optional.empty();
    }
    if (file == null) {
      return Optional.of(
          new Generation(newest, file(newest), Instant.EPOCH, true, Optional.empty(), ""));
    }
    Instant renewedAt = Instant.ofEpochMilli(file.getModificationTime());
    String problem = "";
    Optional<LeaseRecord> holder = Optional.empty();
    try {
      LeaseRecord record = JsonFiles.parse(read(file.getPath()), LeaseRecord.class, file.getPath());
      if (record == null
          || record.generation() != newest
          || record.token() == null
          || record.token().isBlank()) {
        problem = "it does not hold generation " + newest + "'s record";
      } else {
        holder = Optional.of(record);
      }
    } catch (InputException e) {
      problem = e.getMessage().lines().findFirst().orElse("").replace(file.getPath() + ": ", "");
    }
    return Optional.of(
        new Generation(newest, file.getPath(), renewedAt, released, holder, problem));
  }

  private byte[] read(Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return in.readAllBytes();
    }
  }

  /** Creates generation {@code record.generation()}'s file; false when it exists. */
  boolean create(LeaseRecord record) throws IOException {
    return ExclusiveFiles.create(
        fs, file(record.generation()), JsonFiles.toJson(record).getBytes(StandardCharsets.UTF_8));
  }

  /** Renews a generation's lease: its file's modification time becomes {@code at}. */
  void touch(long generation, Instant at) throws IOException {
    fs.setTimes(file(generation), at.toEpochMilli(), -1);
  }

  void release(long generation) throws IOException {
    ExclusiveFiles.create(fs, new Path(dir, file(generation).getName() + RELEASED), new byte[0]);
  }

  void delete(long generation) throws IOException {
    fs.delete(file(generation), false);
  }

  /** Deletes the files of the generations before {@code generation}; files of other names stay. */
  void deleteBefore(long generation) throws IOException {
    for (FileStatus entry : fs.listStatus(dir)) {
      Matcher name = NAME.matcher(entry.getPath().getName());
      if (name.matches() && Long.parseLong(name.group(1)) < generation) {
        fs.delete(entry.getPath(), false);
      }
    }
  }
}
