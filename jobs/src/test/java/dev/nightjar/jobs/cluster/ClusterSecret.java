package dev.nightjar.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The secret a secured standalone cluster shares between its daemons and the applications, made
 * anew for each test run and kept in owner-only files: the secret alone, which {@code
 * submit/nightjar-submit.sh} reads through {@code NIGHTJAR_SPARK_SECRET_FILE}, and the daemons'
 * properties ({@code submit/security/spark-daemons.conf} plus the secret), which the master and the
 * workers load with {@code --properties-file}.
 */
public final class ClusterSecret {
  private static final Path DAEMON_SETTINGS =
      Path.of(System.getProperty("user.dir"))
          .getParent()
          .resolve("submit/security/spark-daemons.conf");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /**
   * Larger files (jars the workers fetched, model files) are not where a leaked secret would land.
   */
  private static final long LARGEST_FILE_SEARCHED = 64L << 20;

  private final String value;
  private final Path file;
  private final Path daemonProperties;

  private ClusterSecret(String value, Path file, Path daemonProperties) {
    this.value = value;
    this.file = file;
    this.daemonProperties = daemonProperties;
  }

  /** A new random secret, written into {@code dir} (which should be empty). */
  public static ClusterSecret generate(Path dir) throws IOException {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String value = HexFormat.of().formatHex(bytes);
    Path file = writeOwnerOnly(dir.resolve("spark-secret"), value + "\n");
    String daemonSettings =
        Files.readString(DAEMON_SETTINGS) + "spark.authenticate.secret " + value + "\n";
    return new ClusterSecret(
        value, file, writeOwnerOnly(dir.resolve("spark-daemons.properties"), daemonSettings));
  }

  private static Path writeOwnerOnly(Path path, String text) throws IOException {
    Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    return Files.writeString(path, text);
  }

  public String value() {
    return value;
  }

  /** The file holding the secret alone. */
  public Path file() {
    return file;
  }

  /** The Spark properties file for the master and the workers. */
  public Path daemonProperties() {
    return daemonProperties;
  }

  /** What {@code nightjar-submit.sh} needs in its environment to submit with this secret. */
  public Map<String, String> submitEnvironment() {
    return Map.of("NIGHTJAR_SPARK_SECRET_FILE", file.toString());
  }

  /** The files below {@code root}, other than this secret's own, that contain the secret. */
  public List<Path> filesContainingIt(Path root) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.filter(Files::isRegularFile).toList()) {
        if (!path.equals(file)
            && !path.equals(daemonProperties)
            && Files.size(path) <= LARGEST_FILE_SEARCHED
            && new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1).contains(value)) {
          found.add(path);
        }
      }
    }
    return found;
  }
}
