package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No container engine runs here, so the images are checked through what they are made of: after
 * {@code package}, every path the Dockerfiles copy from the build context exists (a pattern naming
 * a file matches exactly one), the context ({@code .dockerignore}) lets it through, and the image
 * holds what the Kubernetes profiles and the entry point name inside it.
 */
class JobImageFilesIT {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final List<String> DOCKERFILES =
      List.of("docker/Dockerfile", "docker/Dockerfile.gpu");

  @Test
  void everyCopiedPathExistsAfterTheBuildAndIsInTheContext() throws IOException {
    List<String> context =
        Files.readAllLines(REPO.resolve(".dockerignore")).stream()
            .filter(line -> line.startsWith("!"))
            .map(line -> line.substring(1))
            .toList();
    for (String dockerfile : DOCKERFILES) {
      Map<String, String> copies = copies(dockerfile);
      assertThat(copies).as(dockerfile).isNotEmpty();
      copies.forEach(
          (source, destination) -> {
            List<Path> matches = matching(source);
            assertThat(matches).as("%s: COPY %s", dockerfile, source).isNotEmpty();
            if (!destination.endsWith("/") && Files.isRegularFile(matches.get(0))) {
              assertThat(matches).as("%s: COPY %s to one file", dockerfile, source).hasSize(1);
            }
            assertThat(context)
                .as("%s: %s in .dockerignore's exceptions", dockerfile, source)
                .contains(source);
          });
    }
  }

  @Test
  void theImageHoldsWhatTheProfilesAndTheEntryPointName() throws IOException {
    for (String dockerfile : DOCKERFILES) {
      Map<String, String> copies = copies(dockerfile);
      assertThat(copies)
          .as(dockerfile)
          .containsEntry(
              "jobs/target/nightjar-jobs-*-job.jar", "/opt/nightjar/jars/nightjar-jobs-job.jar")
          .containsEntry("jobs/target/spark-home/jars", "/opt/spark/jars")
          .containsEntry("conf", "/opt/nightjar/conf")
          .containsEntry("submit/gpu/discover-gpus.sh", "/opt/nightjar/gpu/discover-gpus.sh")
          .containsEntry("submit/lib/java17-opens", "/opt/nightjar/lib/java17-opens")
          .containsEntry("docker/entrypoint.sh", "/opt/entrypoint.sh");
    }
    assertThat(Files.readString(REPO.resolve("submit/profiles/k8s.env")))
        .contains("local:///opt/nightjar/jars/nightjar-jobs-job.jar");
    assertThat(REPO.resolve("conf/log4j2.properties")).isRegularFile();
    assertThat(Files.isExecutable(REPO.resolve("docker/entrypoint.sh"))).isTrue();
    assertThat(Files.isExecutable(REPO.resolve("submit/gpu/discover-gpus.sh"))).isTrue();
    // Kubernetes support, hadoop-aws for the profiles' s3a:// event log and upload path, and
    // Spark's
    // cloud committers for output roots on s3a://.
    try (Stream<Path> jars = Files.list(REPO.resolve("jobs/target/spark-home/jars"))) {
      assertThat(jars.map(jar -> jar.getFileName().toString()))
          .anyMatch(jar -> jar.startsWith("spark-kubernetes_2.12-"))
          .anyMatch(jar -> jar.startsWith("hadoop-aws-"))
          .anyMatch(jar -> jar.startsWith("aws-java-sdk-bundle-"))
          .anyMatch(jar -> jar.startsWith("spark-hadoop-cloud_2.12-"));
    }
  }

  /** Each COPY from the build context: its source pattern and its destination. */
  private static Map<String, String> copies(String dockerfile) throws IOException {
    String text = Files.readString(REPO.resolve(dockerfile)).replace("\\\n", " ");
    Map<String, String> copies = new LinkedHashMap<>();
    for (String line : text.lines().map(String::strip).toList()) {
      if (!line.startsWith("COPY ")) {
        continue;
      }
      List<String> words = new ArrayList<>(List.of(line.substring(5).strip().split("\\s+")));
      if (words.stream().anyMatch(word -> word.startsWith("--from="))) {
        continue; // from another image, not the build context
      }
      words.removeIf(word -> word.startsWith("--"));
      String destination = words.remove(words.size() - 1);
      words.forEach(source -> copies.put(source, destination));
    }
    return copies;
  }

  /** The files and folders of the repository a Docker source pattern matches. */
  private static List<Path> matching(String pattern) {
    Path parent = REPO.resolve(pattern).getParent();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + REPO.resolve(pattern));
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.filter(matcher::matches).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
