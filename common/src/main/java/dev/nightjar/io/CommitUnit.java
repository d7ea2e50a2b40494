package dev.nightjar.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outputs one unit (a stage, a stage's row of the runs table, the report) publishes for a run
 * date, committed together. Each output is written in place, in a new version folder below it
 * ({@code predictions/run_date=D/_versions/V/}) that no reader looks at; the commit then writes the
 * unit's record ({@code _commits/run_date=D/UNIT.json}, a {@link CommitRecord}) naming the version,
 * in one atomic replace ({@link AtomicFiles}). Readers resolve an output through the record ({@link
 * PublishedOutputs}), so they see the previous version or the new one, whole, and never a mix of
 * the unit's outputs. Nothing is renamed, so an object store copies nothing.
 *
 * <p>Versions are noted before their folders are made ({@code _commits/_inflight/V.json}) and when
 * a commit replaces them ({@code _commits/_retired/V.json}): a crash at any step leaves notes from
 * which {@link PublishedOutputs#sweep} removes what can no longer be published, and the replaced
 * version after its grace period.
 *
 * <p>The {@link CommitFence} is asked right before the record is written, so a run that lost the
 * output root's lock publishes nothing.
 */
public final class CommitUnit implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommitUnit.class);

  /** The folder of records and notes under the output root. */
  public static final String COMMITS_DIR = "_commits";

  /** The folder below each output that holds its versions; hidden from Spark's file listing. */
  public static final String VERSIONS_DIR = "_versions";

  static final String IN_FLIGHT_DIR = "_inflight";
  static final String RETIRED_DIR = "_retired";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  /** The steps of a commit, in order, for tests that crash a commit after each one. */
  enum Step {
    OUTPUTS_WRITTEN,
    PREVIOUS_RETIRED,
    RECORD_WRITTEN,
    IN_FLIGHT_CLEARED
  }

  private static volatile Consumer<Step> faults = step -> {};

  private final Configuration conf;
  private final FileSystem fs;
  private final Path root;
  private final String unit;
  private final LocalDate runDate;
  private final String runId;
  private final CommitFence fence;
  private final Clock clock;
  private final String version;
  private final Map<String, StagedOutput> outputs = new LinkedHashMap<>();
  private boolean committed;

  private CommitUnit(
      Configuration conf,
      FileSystem fs,
      Path root,
      String unit,
      LocalDate runDate,
      String runId,
      CommitFence fence,
      Clock clock) {
    this.conf = conf;
    this.fs = fs;
    this.root = root;
    this.unit = unit;
    this.runDate = runDate;
    this.runId = runId;
    this.fence = fence;
    this.clock = clock;
    this.version = STAMP.format(clock.instant()) + "-" + unit + "-" + runId;
  }

  /**
   * Starts a unit of {@code layout}'s run date.
   *
   * @param unit names the unit's record: a plain name, the same for every run of the unit
   * @param runId names the versions, with the time; a plain name
   * @param fence asked before the commit publishes; {@link CommitFence#NONE} without a lock
   */
  public static CommitUnit begin(
      Configuration conf, OutputLayout layout, String unit, String runId, CommitFence fence) {
    return begin(conf, layout, unit, runId, fence, Clock.systemUTC());
  }

  static CommitUnit begin(
      Configuration conf,
      OutputLayout layout,
      String unit,
      String runId,
      CommitFence fence,
      Clock clock) {
    requirePlain("unit", unit);
    requirePlain("run id", runId);
    try {
      FileSystem fs = layout.rootPath().getFileSystem(conf);
      return new CommitUnit(
          conf,
          fs,
          fs.makeQualified(layout.rootPath()),
          unit,
          layout.runDate(),
          runId,
          fence,
          clock);
    } catch (IOException e) {
      throw new OutputWriteException(layout.rootPath(), e);
    }
  }

  private static void requirePlain(String what, String name) {
    if (!PlainNames.isPlain(name)) {
      throw new IllegalArgumentException(
          what + " '" + name + "' is not a plain name (letters, digits, _ -)");
    }
  }

  /** The run that writes this unit. */
  public String runId() {
    return runId;
  }

  /** The version this unit writes: the time it began, the unit and the run id. */
  public String version() {
    return version;
  }

  /**
   * Starts the output {@code target} (a folder below the output root, inside this unit's run date
   * partition). Its files go into {@link StagedOutput#path()}, which readers do not see until
   * {@link #commit()}.
   */
  public StagedOutput stage(Path target) {
    Path qualified = fs.makeQualified(target);
    String relative = OutputPaths.relativeTo(root, qualified);
    if (!("/" + relative + "/").contains("/run_date=" + runDate + "/")) {
      throw new IllegalArgumentException(
          target + " is not in the partition run_date=" + runDate + " of unit " + unit);
    }
    if (outputs.containsKey(relative)) {
      throw new IllegalStateException(target + " is already staged in unit " + unit);
    }
    OutputPaths.refuseLinksBelowRoot(root, relative);
    StagedOutput out =
        new StagedOutput(qualified, new Path(new Path(qualified, VERSIONS_DIR), version));
    outputs.put(relative, out);
    try {
      // The note comes first: a crash after the folder exists must leave a way to find it.
      writeNote(IN_FLIGHT_DIR, folders(outputs.values()));
    } catch (OutputWriteException e) {
      // Named after the output: the note is the first write of it, where a refusal shows.
      throw new OutputWriteException(qualified, e.getCause());
    }
    try {
      if (fs.exists(out.path())) {
        fs.delete(out.path(), true);
      }
      if (!fs.mkdirs(out.path())) {
        throw new IOException("could not create " + out.path());
      }
      return out;
    } catch (IOException e) {
      throw new OutputWriteException(out.path(), e);
    }
  }

  /**
   * Publishes every output marked {@link StagedOutput#complete() complete}, together, once the
   * fence allows it; outputs not completed are discarded. The unit's previous version stays on
   * disk, retired, for the sweep to remove after the grace period.
   */
  public void commit() {
    Path recordFile = PublishedOutputs.recordFile(root, runDate.toString(), unit);
    fence.check(recordFile);
    Map<String, String> published = new LinkedHashMap<>();
    List<StagedOutput> discarded = new ArrayList<>();
    outputs.forEach(
        (relative, out) -> {
          if (out.completed()) {
            published.put(relative, OutputPaths.relativeTo(root, out.path()));
          } else {
            discarded.add(out);
          }
        });
    try {
      delete(discarded);
      faults.accept(Step.OUTPUTS_WRITTEN);
      Optional<CommitRecord> previous =
          PublishedOutputs.record(conf, root, runDate.toString(), unit);
      if (previous.isPresent()) {
        CommitRecord replaced = previous.get();
        writeNote(
            RETIRED_DIR,
            replaced.version(),
            new ArrayList<>(replaced.outputs().values()),
            clock.instant());
      }
      faults.accept(Step.PREVIOUS_RETIRED);
      CommitRecord record =
          new CommitRecord(
              unit, runDate.toString(), version, runId, clock.instant().toString(), published);
      AtomicFiles.replace(
          conf, recordFile, JsonFiles.toJson(record).getBytes(StandardCharsets.UTF_8));
      committed = true;
      faults.accept(Step.RECORD_WRITTEN);
      fs.delete(notePath(IN_FLIGHT_DIR, version), false);
      faults.accept(Step.IN_FLIGHT_CLEARED);
      LOG.info("Committed {} for {} as version {}: {}", unit, runDate, version, published.keySet());
    } catch (IOException e) {
      throw new OutputWriteException(recordFile, e);
    }
  }

  /** Deletes what was staged, unless it was committed. */
  @Override
  public void close() {
    if (committed || outputs.isEmpty()) {
      return;
    }
    try {
      delete(outputs.values());
      fs.delete(notePath(IN_FLIGHT_DIR, version), false);
      LOG.info("Discarded the uncommitted version {} of {}", version, unit);
    } catch (IOException e) {
      LOG.warn(
          "Could not delete the uncommitted version {} of {}: {}", version, unit, e.getMessage());
    }
  }

  private void delete(Iterable<StagedOutput> staged) throws IOException {
    for (StagedOutput out : staged) {
      fs.delete(out.path(), true);
      OutputPaths.pruneEmptyParents(fs, root, out.path());
    }
  }

  private List<String> folders(Iterable<StagedOutput> staged) {
    List<String> folders = new ArrayList<>();
    staged.forEach(out -> folders.add(OutputPaths.relativeTo(root, out.path())));
    return folders;
  }

  private void writeNote(String dir, List<String> folders) {
    writeNote(dir, version, folders, clock.instant());
  }

  private void writeNote(String dir, String noted, List<String> folders, Instant since) {
    VersionNote note = new VersionNote(unit, runDate.toString(), noted, folders, since.toString());
    AtomicFiles.replace(
        conf, notePath(dir, noted), JsonFiles.toJson(note).getBytes(StandardCharsets.UTF_8));
  }

  private Path notePath(String dir, String noted) {
    return new Path(new Path(new Path(root, COMMITS_DIR), dir), noted + ".json");
  }

  /** For tests: called after each step of every commit in this JVM. */
  static void injectFaults(Consumer<Step> hook) {
    faults = hook;
  }
}
