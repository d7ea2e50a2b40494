package dev.nightjar.registry;

import dev.nightjar.io.ExclusiveFiles;
import dev.nightjar.io.InputException;
import dev.nightjar.io.InputReadException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputWriteException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The registry's aliases, each a folder of numbered events. An alias names the version its events
 * leave on top when replayed as a stack: a promotion pushes a version, a rollback pops the top one.
 * The files are never rewritten, so the history stays whole.
 */
final class Aliases {
  private final Configuration conf;
  private final Path dir;

  Aliases(Configuration conf, Path dir) {
    this.conf = conf;
    this.dir = dir;
  }

  /** Every alias that was ever moved, by name. */
  List<String> names() {
    return list(conf, dir).stream()
        .filter(FileStatus::isDirectory)
        .map(s -> s.getPath().getName())
        .sorted()
        .toList();
  }

  /**
   * The alias's events, oldest first; empty for an alias never moved. Its files must be numbered
   * from 1 without a gap.
   */
  List<AliasEvent> history(String alias) {
    return events(alias).stream().map(Moved::event).toList();
  }

  /** The version the alias names, if any, with the event that pointed it there. */
  Optional<Moved> current(String alias) {
    return Optional.ofNullable(stack(alias).peekFirst());
  }

  /** The version a rollback of the alias returns to, if any. */
  Optional<String> previous(String alias) {
    Deque<Moved> stack = stack(alias);
    stack.pollFirst();
    return Optional.ofNullable(stack.peekFirst()).map(Moved::version);
  }

  /** Records the next move of {@code alias}; fails if another move took its number first. */
  AliasEvent append(
      String alias,
      String action,
      String version,
      String from,
      String by,
      String at,
      String reason) {
    long sequence = history(alias).size() + 1;
    AliasEvent event = new AliasEvent(alias, sequence, action, version, from, by, at, reason);
    Path file = new Path(new Path(dir, alias), fileName(sequence));
    byte[] content = JsonFiles.toJson(event).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      FileSystem fs = file.getFileSystem(conf);
      fs.mkdirs(file.getParent());
      if (ExclusiveFiles.supports(fs.getUri().getScheme())) {
        if (!ExclusiveFiles.create(fs, file, content)) {
          throw new IllegalStateException(
              "alias "
                  + alias
                  + " was moved by someone else at the same time ("
                  + file
                  + " exists); look at its history and try again");
        }
      } else {
        // Every registry command holds the output root's lock, so no one else numbers events here.
        try (var out = fs.create(file, false)) {
          out.write(content);
        }
      }
    } catch (IOException e) {
      throw new OutputWriteException(file, e);
    }
    return event;
  }

  /**
   * An event and the file it was read from.
   *
   * @param file where it lies, for messages
   */
  record Moved(AliasEvent event, Path file) {
    String version() {
      return event.version();
    }
  }

  private List<Moved> events(String alias) {
    Path folder = new Path(dir, alias);
    List<Path> files =
        list(conf, folder).stream()
            .filter(s -> s.isFile() && s.getPath().getName().matches("\\d{8}\\.json"))
            .map(FileStatus::getPath)
            .sorted(Comparator.comparing(Path::getName))
            .toList();
    List<Moved> events = new ArrayList<>(files.size());
    for (Path file : files) {
      long sequence = events.size() + 1;
      if (!file.getName().equals(fileName(sequence))) {
        throw new InputException(
            new Path(folder, fileName(sequence))
                + ": missing: the history of alias "
                + alias
                + " goes on with "
                + file.getName());
      }
      events.add(new Moved(RegistryDocuments.readEvent(conf, file, alias, sequence), file));
    }
    return events;
  }

  private Deque<Moved> stack(String alias) {
    Deque<Moved> stack = new ArrayDeque<>();
    for (Moved moved : events(alias)) {
      if (moved.event().action().equals(AliasEvent.ROLLBACK)) {
        stack.pollFirst();
      } else {
        stack.push(moved);
      }
    }
    return stack;
  }

  private static String fileName(long sequence) {
    return String.format("%08d.json", sequence);
  }

  /** The folder's entries; none for a folder that does not exist. */
  static List<FileStatus> list(Configuration conf, Path folder) {
    try {
      return List.of(folder.getFileSystem(conf).listStatus(folder));
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new InputReadException(folder, e);
    }
  }
}
