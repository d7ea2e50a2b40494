package dev.nightjar.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Looks at the command line of every process on this machine, as {@code ps} shows it, at a fixed
 * interval until closed, and keeps those that contained one of the strings it watches for.
 */
public final class CommandLineWatch implements AutoCloseable {
  private final List<String> needles;
  private final Map<String, Set<String>> seen = new TreeMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "command-line-watch");
            thread.setDaemon(true);
            return thread;
          });

  private CommandLineWatch(List<String> needles) {
    this.needles = needles;
    needles.forEach(needle -> seen.put(needle, ConcurrentHashMap.newKeySet()));
  }

  public static CommandLineWatch start(Duration interval, String... needles) {
    CommandLineWatch watch = new CommandLineWatch(List.of(needles));
    watch.timer.scheduleWithFixedDelay(watch::look, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  /** The command lines seen so far that contained {@code needle}, one of those watched for. */
  public Set<String> seen(String needle) {
    return Set.copyOf(seen.get(needle));
  }

  private void look() {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process :
          processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String commandLine = commandLine(process);
        for (String needle : needles) {
          if (commandLine.contains(needle)) {
            seen.get(needle).add(process.getFileName() + ": " + commandLine);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String commandLine(Path process) {
    try {
      return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return ""; // the process ended meanwhile
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
