package dev.nightjar.registry;

import dev.nightjar.io.ExclusiveFiles;
import dev.nightjar.io.InputReadException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputWriteException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayDeque;
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

  /** The alias's events, oldest first; empty for an alias never moved. */
  List<AliasEvent> history(String alias) {
    return list(conf, new Path(dir, alias)).stream()
        .filter(s -> s.isFile() && s.getPath().getName().matches("\\d{8}\\.json"))
        .sorted(Comparator.comparing(s -> s.getPath().getName()))
        .map(s -> JsonFiles.read(conf, s.getPath(), AliasEvent.class))
        .toList();
  }

  /** The version the alias names, if any. */
  Optional<String> current(String alias) {
    return Optional.ofNullable(stack(alias).peekFirst());
  }

  /** The version a rollback of the alias returns to, if any. */
  Optional<String> previous(String alias) {
    Deque<String> stack = stack(alias);
    stack.pollFirst();
    return Optional.ofNullable(stack.peekFirst());
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
    Path file = new Path(new Path(dir, alias), String.format("%08d.json", sequence));
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

  private Deque<String> stack(String alias) {
    Deque<String> stack = new ArrayDeque<>();
    for (AliasEvent event : history(alias)) {
      if (event.action().equals(AliasEvent.ROLLBACK)) {
        stack.pollFirst();
      } else {
        stack.push(event.version());
      }
    }
    return stack;
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
