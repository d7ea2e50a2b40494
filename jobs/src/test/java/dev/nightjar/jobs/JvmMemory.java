package dev.nightjar.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory limits a JVM runs under and the peaks it reaches, watched from outside: its resident
 * set's high-water mark ({@code VmHWM} in {@code /proc/PID/status}, which the kernel keeps, polled
 * until the JVM exits), the most heap in use, from its GC log (heap use peaks just before a
 * collection, and the log records it there and at exit), and the most heap live at once: what full
 * collections, forced from outside every few seconds ({@code jcmd PID GC.run}), leave in use.
 */
final class JvmMemory {
  private static final Pattern LIMIT =
      Pattern.compile(
          "-Xmx\\S+|-XX:MaxDirectMemorySize=\\S+|-Dorg\\.bytedeco\\.javacpp\\.max(physical)?bytes=\\S+");
  private static final Pattern PAUSE =
      Pattern.compile("\\] GC\\(\\d+\\) Pause.* (\\d+)M->(\\d+)M\\(\\d+M\\)");
  private static final Pattern FORCED_FULL =
      Pattern.compile("\\] GC\\(\\d+\\) Pause Full \\(Diagnostic Command\\) (\\d+)M->(\\d+)M");
  private static final Duration FORCED_FULL_EVERY = Duration.ofSeconds(5);
  private static final Pattern USED_AT_EXIT =
      Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");

  private final ProcessHandle jvm;
  private final Path gcLog;
  private final AtomicLong rssPeak = new AtomicLong();
  private final List<String> limits;

  private JvmMemory(ProcessHandle jvm, Path gcLog, List<String> limits) {
    this.jvm = jvm;
    this.gcLog = gcLog;
    this.limits = limits;
  }

  /** The JVM options that make a JVM log its collections and its heap at exit to {@code gcLog}. */
  static String gcLogging(Path gcLog) {
    return "-Xlog:gc,gc+heap+exit:file=" + gcLog;
  }

  /**
   * Starts watching {@code process}, which becomes the JVM (a launcher script that {@code exec}s
   * java) and logs to {@code gcLog}; waits until it is java and reads its limits.
   */
  static JvmMemory watch(Process process, Path gcLog) throws IOException, InterruptedException {
    ProcessHandle handle = process.toHandle();
    while (handle.isAlive() && !handle.info().command().orElse("").endsWith("/java")) {
      Thread.sleep(20);
    }
    // Right after the exec the kernel may show the java binary before its command line: wait for
    // both.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (handle.isAlive()
        && handle.info().arguments().map(a -> a.length).orElse(0) == 0
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    JvmMemory memory = new JvmMemory(handle, gcLog, limits(handle));
    Thread poller = new Thread(memory::pollRss, "rss-poller-" + handle.pid());
    poller.setDaemon(true);
    poller.start();
    Thread collector = new Thread(memory::forceFullCollections, "gc-" + handle.pid());
    collector.setDaemon(true);
    collector.start();
    return memory;
  }

  /**
   * The memory limits among the JVM's options, JAVA_TOOL_OPTIONS first (the command line wins over
   * them), as written there. The main class's own arguments are not the JVM's options.
   */
  private static List<String> limits(ProcessHandle jvm) throws IOException {
    String proc = "/proc/" + jvm.pid();
    List<String> options =
        new ArrayList<>(
            Arrays.stream(
                    Files.readString(Path.of(proc, "environ"), StandardCharsets.UTF_8).split("\0"))
                .filter(v -> v.startsWith("JAVA_TOOL_OPTIONS="))
                .flatMap(v -> Arrays.stream(v.substring("JAVA_TOOL_OPTIONS=".length()).split(" ")))
                .toList());
    String[] commandLine =
        Files.readString(Path.of(proc, "cmdline"), StandardCharsets.UTF_8).split("\0");
    for (int i = 1; i < commandLine.length && commandLine[i].startsWith("-"); i++) {
      options.add(commandLine[i]);
      if (commandLine[i].equals("-cp") || commandLine[i].equals("-classpath")) {
        i++;
      }
    }
    return options.stream().filter(option -> LIMIT.matcher(option).matches()).toList();
  }

  private void pollRss() {
    Path status = Path.of("/proc/" + jvm.pid() + "/status");
    while (jvm.isAlive()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            rssPeak.accumulateAndGet(Long.parseLong(line.replaceAll("\\D", "")) * 1024, Math::max);
          }
        }
        Thread.sleep(200);
      } catch (IOException e) {
        return; // the process is gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Asks the JVM for a full collection every few seconds until it exits: what each leaves in use is
   * what was live then. A young collection's leftovers include old garbage G1 has not marked yet.
   */
  private void forceFullCollections() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    while (jvm.isAlive()) {
      try {
        Thread.sleep(FORCED_FULL_EVERY.toMillis());
        new ProcessBuilder(jcmd.toString(), Long.toString(jvm.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor();
      } catch (IOException e) {
        return; // no jcmd: liveHeapPeakBytes() then reports 0 and the caller's check fails
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  List<String> limits() {
    return limits;
  }

  /**
   * The value of a limit, in bytes: {@code -Xmx2g} for {@code "-Xmx"}, {@code maxbytes=2G} for its
   * property name.
   */
  long limitBytes(String option) {
    return limits.stream()
        .filter(l -> l.startsWith(option))
        .reduce((first, last) -> last)
        .map(l -> bytes(l.substring(option.length()).replaceFirst("^=", "")))
        .orElseThrow(() -> new AssertionError("no " + option + " among " + limits));
  }

  /** The resident set's high-water mark the kernel recorded, as last polled. */
  long rssPeakBytes() {
    return rssPeak.get();
  }

  /** The most heap in use: before any collection, or at exit. */
  long heapPeakBytes() throws IOException {
    return Math.max(largest(PAUSE, 1) << 20, largest(USED_AT_EXIT, 1) << 10);
  }

  /** The most heap a forced full collection left in use: what the JVM kept alive at once. */
  long liveHeapPeakBytes() throws IOException {
    return largest(FORCED_FULL, 2) << 20;
  }

  /** How many full collections were forced while the JVM ran. */
  long forcedFullCollections() throws IOException {
    return Files.readAllLines(gcLog).stream().filter(l -> FORCED_FULL.matcher(l).find()).count();
  }

  /**
   * The largest number {@code group} of {@code pattern} captures in the GC log; 0 if it never
   * matches.
   */
  private long largest(Pattern pattern, int group) throws IOException {
    long largest = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher match = pattern.matcher(line);
      if (match.find()) {
        largest = Math.max(largest, Long.parseLong(match.group(group)));
      }
    }
    return largest;
  }

  private static long bytes(String size) {
    Matcher m = Pattern.compile("(\\d+)([kmgt]?)b?").matcher(size.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + size);
    }
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    return Long.parseLong(m.group(1)) << shift;
  }
}
