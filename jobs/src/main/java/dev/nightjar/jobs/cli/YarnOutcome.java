package dev.nightjar.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's exit code across YARN's cluster deploy mode, where the driver runs in the cluster and
 * spark-submit only learns that the application failed. {@code nightjar-submit.sh} tags the
 * application with a submission id ({@value #SUBMISSION}, also in {@code spark.yarn.tags}); the
 * driver leaves its exit code and its one-line error in a small file named after it in the
 * submitting user's home folder on the cluster's default file system ({@code
 * .nightjar/outcomes/ID}); after spark-submit returns, {@link #main} finds the application by its
 * tag, reads YARN's final status and that file, deletes the file and exits with the job's code.
 */
public final class YarnOutcome {
  /** The Spark setting that carries the submission id to the driver. */
  public static final String SUBMISSION = "spark.nightjar.submission";

  private static final Pattern SUBMISSION_ID = Pattern.compile("[a-z0-9-]{1,100}");
  private static final Pattern USER_EXIT =
      Pattern.compile("User application exited with status (\\d+)");
  private static final Logger LOG = LoggerFactory.getLogger(YarnOutcome.class);

  private YarnOutcome() {}

  /** What a driver left: its exit code and its error line (empty on success). */
  record Outcome(int exitCode, String message) {
    String text() {
      return exitCode + "\n" + message + "\n";
    }

    static Outcome parse(String text) {
      List<String> lines = text.lines().toList();
      if (lines.isEmpty() || !lines.get(0).trim().matches("\\d{1,3}")) {
        return null;
      }
      return new Outcome(
          Integer.parseInt(lines.get(0).trim()), lines.size() > 1 ? lines.get(1) : "");
    }
  }

  /**
   * Whether this JVM is a driver in YARN's cluster deploy mode: a thread of the ApplicationMaster,
   * which sets every Spark setting of the application as a system property.
   */
  public static boolean isYarnClusterDriver() {
    return "yarn".equals(System.getProperty("spark.master"))
        && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }

  /** The submission id given by {@code nightjar-submit.sh}, or null. */
  public static String submission() {
    String id = System.getProperty(SUBMISSION);
    return id != null && SUBMISSION_ID.matcher(id).matches() ? id : null;
  }

  static Path location(FileSystem fs, String submission) {
    return new Path(fs.getHomeDirectory(), ".nightjar/outcomes/" + submission);
  }

  /**
   * Driver side: records the job's outcome for the submission, when there is one. A file that
   * cannot be written is only logged: the application's final status still tells failure from
   * success.
   */
  public static void record(int exitCode, String message) {
    String submission = submission();
    if (submission == null) {
      return;
    }
    try {
      Configuration conf = new Configuration();
      System.getProperties().stringPropertyNames().stream()
          .filter(key -> key.startsWith("spark.hadoop."))
          .forEach(
              key -> conf.set(key.substring("spark.hadoop.".length()), System.getProperty(key)));
      FileSystem fs = FileSystem.get(conf);
      Path file = location(fs, submission);
      fs.mkdirs(file.getParent(), new FsPermission((short) 0700));
      try (FSDataOutputStream out = fs.create(file, true)) {
        out.write(
            new Outcome(exitCode, message == null ? "" : message)
                .text()
                .getBytes(StandardCharsets.UTF_8));
      }
      fs.setPermission(file, new FsPermission((short) 0600));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not record the job's exit code {} for submission {}: {}",
          exitCode,
          submission,
          e.toString());
    }
  }

  /**
   * Client side: {@code YarnOutcome SUBMISSION_ID SPARK_SUBMIT_EXIT_CODE}, with the cluster's
   * configuration on the class path ({@code HADOOP_CONF_DIR}, {@code YARN_CONF_DIR}); exits with
   * the job's code and prints one line when it is not 0.
   */
  public static void main(String[] args) {
    if (args.length != 2
        || !SUBMISSION_ID.matcher(args[0]).matches()
        || !args[1].matches("\\d{1,3}")) {
      System.err.println("Usage: YarnOutcome SUBMISSION_ID SPARK_SUBMIT_EXIT_CODE");
      System.exit(ExitCodes.USAGE);
    }
    YarnConfiguration conf = new YarnConfiguration();
    // The application has just ended, so the ResourceManager is up: a minute, not YARN's default
    // quarter of an hour.
    conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 60_000);
    int code;
    try (YarnClient yarn = YarnClient.createYarnClient()) {
      yarn.init(conf);
      yarn.start();
      code = exitCode(yarn, FileSystem.get(conf), args[0], Integer.parseInt(args[1]), System.err);
    } catch (IOException | YarnException | RuntimeException e) {
      System.err.println(
          "nightjar-submit: could not read the application's outcome from YARN: " + e);
      code = Math.max(ExitCodes.FAILURE, Integer.parseInt(args[1]));
    }
    System.exit(code);
  }

  /**
   * The job's exit code: YARN's final status of the tagged application, made precise by what its
   * driver left.
   */
  static int exitCode(
      YarnClient yarn, FileSystem fs, String submission, int submitExitCode, PrintStream err)
      throws IOException, YarnException {
    List<ApplicationReport> reports =
        yarn.getApplications(
            Set.of(), EnumSet.allOf(YarnApplicationState.class), Set.of(submission));
    if (reports.isEmpty()) {
      // spark-submit failed before YARN accepted the application, and said why.
      return submitExitCode == 0 ? ExitCodes.FAILURE : submitExitCode;
    }
    ApplicationReport report = reports.get(0);
    Outcome outcome = readAndDelete(fs, submission);
    FinalApplicationStatus status = report.getFinalApplicationStatus();
    String app = report.getApplicationId().toString();
    if (status == FinalApplicationStatus.SUCCEEDED
        && (outcome == null || outcome.exitCode() == 0)) {
      return submitExitCode;
    }
    if (outcome != null && outcome.exitCode() != 0) {
      err.println(
          "nightjar-submit: "
              + app
              + " "
              + status
              + ", exit code "
              + outcome.exitCode()
              + (outcome.message().isBlank() ? "" : ": " + outcome.message()));
      return outcome.exitCode();
    }
    String diagnostics = report.getDiagnostics() == null ? "" : report.getDiagnostics().strip();
    Matcher userExit = USER_EXIT.matcher(diagnostics);
    int code = userExit.find() ? Integer.parseInt(userExit.group(1)) : ExitCodes.FAILURE;
    err.println(
        "nightjar-submit: "
            + app
            + " "
            + status
            + ", exit code "
            + code
            + (diagnostics.isEmpty() ? "" : ": " + diagnostics.lines().findFirst().orElse("")));
    return code == 0 ? ExitCodes.FAILURE : code;
  }

  private static Outcome readAndDelete(FileSystem fs, String submission) throws IOException {
    Path file = location(fs, submission);
    if (!fs.exists(file)) {
      return null;
    }
    String text;
    try (var in = fs.open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    fs.delete(file, false);
    return Outcome.parse(text);
  }
}
