package dev.nightjar.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What readers see under an output root: each output as its unit's record ({@link CommitRecord})
 * names it, so a reader resolves a path once and then reads one whole version. An output that no
 * record names is read where it is (outputs written by hand, or by a program that wrote them in
 * place).
 */
public final class PublishedOutputs {
  private static final Logger LOG = LoggerFactory.getLogger(PublishedOutputs.class);
  private static final String RUN_DATE = "run_date=";

  private PublishedOutputs() {}

  /**
   * Where readers find {@code logical} (e.g. {@code root/optimized/run_date=D/serving.json}): in
   * the version its unit's record names, or, if none does, at {@code logical} itself. Paths
   * resolved one by one may come from different commits; {@link #snapshot} resolves several from
   * one moment.
   */
  public static Path resolve(Configuration conf, Path root, Path logical) {
    return snapshot(conf, root, logical).resolve(logical);
  }

  /** The records of {@code logical}'s run date as they are now, to resolve its outputs with. */
  public static Snapshot snapshot(Configuration conf, Path root, Path logical) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      Path qualifiedRoot = fs.makeQualified(root);
      String relative = OutputPaths.relativeTo(qualifiedRoot, fs.makeQualified(logical));
      Optional<String> date = runDate(relative);
      return new Snapshot(
          fs, qualifiedRoot, date.isEmpty() ? List.of() : records(conf, qualifiedRoot, date.get()));
    } catch (IOException e) {
      throw new InputReadException(logical, e);
    }
  }

  /**
   * A run date's records read at one moment: every output it resolves belongs to the versions
   * published then, which stay readable for at least the grace period.
   */
  public static final class Snapshot {
    private final FileSystem fs;
    private final Path root;
    private final List<CommitRecord> records;

    private Snapshot(FileSystem fs, Path root, List<CommitRecord> records) {
      this.fs = fs;
      this.root = root;
      this.records = records;
    }

    /**
     * Where readers find {@code logical}, an output of this snapshot's run date or a file in one.
     */
    public Path resolve(Path logical) {
      String relative = OutputPaths.relativeTo(root, fs.makeQualified(logical));
      for (CommitRecord record : records) {
        for (Map.Entry<String, String> output : record.outputs().entrySet()) {
          String name = output.getKey();
          if (relative.equals(name) || relative.startsWith(name + "/")) {
            return OutputPaths.below(root, output.getValue() + relative.substring(name.length()));
          }
        }
      }
      return logical;
    }
  }

  /**
   * Where readers find the output named by its folder, {@code <root>/<table>/run_date=D} (as users
   * name a night's model): resolved against the root two levels up. Any other path is returned as
   * it is.
   */
  public static Path resolveOutput(Configuration conf, Path output) {
    Path table = output.getParent();
    if (!output.getName().startsWith(RUN_DATE) || table == null || table.getParent() == null) {
      return output;
    }
    return resolve(conf, table.getParent(), output);
  }

  /** {@link #resolve(Configuration, Path, Path)} below {@code layout}'s output root. */
  public static Path resolve(Configuration conf, OutputLayout layout, Path logical) {
    return resolve(conf, layout.rootPath(), logical);
  }

  /**
   * Every run date's published folder of {@code table} ({@code predictions}, {@code metrics}, …),
   * by the output name it stands for; folders that no record names are included as they are.
   */
  public static Map<String, Path> partitions(Configuration conf, Path root, String table) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      Path qualifiedRoot = fs.makeQualified(root);
      Map<String, Path> found = new TreeMap<>();
      List<String> recordedDates = new ArrayList<>();
      for (FileStatus dateDir : list(fs, new Path(qualifiedRoot, CommitUnit.COMMITS_DIR))) {
        String name = dateDir.getPath().getName();
        if (!dateDir.isDirectory() || !name.startsWith(RUN_DATE)) {
          continue;
        }
        for (CommitRecord record :
            records(conf, qualifiedRoot, name.substring(RUN_DATE.length()))) {
          record
              .outputs()
              .forEach(
                  (output, folder) -> {
                    if (output.startsWith(table + "/")) {
                      found.put(output, OutputPaths.below(qualifiedRoot, folder));
                      recordedDates.add(table + "/" + name);
                    }
                  });
        }
      }
      for (FileStatus dir : list(fs, new Path(qualifiedRoot, table))) {
        String output = table + "/" + dir.getPath().getName();
        if (dir.isDirectory()
            && dir.getPath().getName().startsWith(RUN_DATE)
            && !recordedDates.contains(output)) {
          found.put(output, dir.getPath());
        }
      }
      return found;
    } catch (IOException e) {
      throw new InputReadException(new Path(root, table), e);
    }
  }

  /** The record of {@code unit} for {@code runDate}, if it was ever committed. */
  public static Optional<CommitRecord> record(
      Configuration conf, Path root, String runDate, String unit) {
    Path file = recordFile(root, runDate, unit);
    try {
      if (!file.getFileSystem(conf).exists(file)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new InputReadException(file, e);
    }
    return Optional.of(JsonFiles.read(conf, file, CommitRecord.class));
  }

  static Path recordFile(Path root, String runDate, String unit) {
    return new Path(
        new Path(new Path(root, CommitUnit.COMMITS_DIR), RUN_DATE + runDate), unit + ".json");
  }

  /**
   * The run date's records. A record replaced while it is read (S3A sees the object change between
   * its metadata and its bytes) is read again, with the others, so the result is one moment's.
   */
  private static List<CommitRecord> records(Configuration conf, Path root, String runDate)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return readRecords(conf, root, runDate);
      } catch (InputReadException e) {
        if (attempt >= READ_ATTEMPTS || !changedWhileRead(e)) {
          throw e;
        }
        LOG.debug("A record of {} changed while read; reading them again", runDate);
      }
    }
  }

  private static final int READ_ATTEMPTS = 5;

  private static boolean changedWhileRead(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getClass().getName().endsWith(".RemoteFileChangedException")) {
        return true;
      }
    }
    return false;
  }

  private static List<CommitRecord> readRecords(Configuration conf, Path root, String runDate)
      throws IOException {
    Path dir = new Path(new Path(root, CommitUnit.COMMITS_DIR), RUN_DATE + runDate);
    List<CommitRecord> records = new ArrayList<>();
    for (FileStatus file : list(root.getFileSystem(conf), dir)) {
      String name = file.getPath().getName();
      if (file.isFile() && name.endsWith(".json") && !name.startsWith(".")) {
        records.add(JsonFiles.read(conf, file.getPath(), CommitRecord.class));
      }
    }
    return records;
  }

  private static Optional<String> runDate(String relative) {
    for (String segment : relative.split("/")) {
      if (segment.startsWith(RUN_DATE)) {
        return Optional.of(segment.substring(RUN_DATE.length()));
      }
    }
    return Optional.empty();
  }

  private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
    try {
      return fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }

  /**
   * Removes the versions no reader can see any more: those of runs that died before their commit
   * (every version in flight that its record does not name: call it only while holding the output
   * root's lock, before this job stages anything) and those replaced more than {@code grace} ago.
   */
  public static void sweep(Configuration conf, Path root, Duration grace, Clock clock) {
    try {
      FileSystem fs = root.getFileSystem(conf);
      Path qualifiedRoot = fs.makeQualified(root);
      Path commits = new Path(qualifiedRoot, CommitUnit.COMMITS_DIR);
      Instant now = clock.instant();
      for (FileStatus file : list(fs, new Path(commits, CommitUnit.IN_FLIGHT_DIR))) {
        sweepNote(conf, fs, qualifiedRoot, file.getPath(), note -> true);
      }
      for (FileStatus file : list(fs, new Path(commits, CommitUnit.RETIRED_DIR))) {
        sweepNote(
            conf,
            fs,
            qualifiedRoot,
            file.getPath(),
            note -> Instant.parse(note.since()).plus(grace).isBefore(now));
      }
    } catch (IOException e) {
      throw new OutputWriteException(new Path(root, CommitUnit.COMMITS_DIR), e);
    }
  }

  private static void sweepNote(
      Configuration conf,
      FileSystem fs,
      Path root,
      Path noteFile,
      java.util.function.Predicate<VersionNote> due)
      throws IOException {
    if (noteFile.getName().startsWith(".") || !noteFile.getName().endsWith(".json")) {
      return;
    }
    VersionNote note;
    try {
      note = JsonFiles.read(conf, noteFile, VersionNote.class);
    } catch (InputException e) {
      LOG.warn("Ignoring {}: {}", noteFile, e.getMessage());
      return;
    }
    Optional<CommitRecord> current = record(conf, root, note.runDate(), note.unit());
    if (current.isPresent() && current.get().version().equals(note.version())) {
      // Noted, then published (or retired, then the commit did not happen): nothing to delete.
      fs.delete(noteFile, false);
      return;
    }
    if (!due.test(note)) {
      return;
    }
    for (String folder : note.folders()) {
      Path dir = OutputPaths.below(root, folder);
      if (!dir.getName().equals(note.version())
          || !dir.getParent().getName().equals(CommitUnit.VERSIONS_DIR)) {
        LOG.warn(
            "{} names {}, not a version folder of {}; deleting nothing",
            noteFile,
            dir,
            note.version());
        return;
      }
    }
    for (String folder : note.folders()) {
      Path dir = OutputPaths.below(root, folder);
      if (fs.delete(dir, true)) {
        LOG.info("Deleted {} ({} version of {})", dir, noteFile.getParent().getName(), note.unit());
      }
      OutputPaths.pruneEmptyParents(fs, root, dir);
    }
    fs.delete(noteFile, false);
  }
}
