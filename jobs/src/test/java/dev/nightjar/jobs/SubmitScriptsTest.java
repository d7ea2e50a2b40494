package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The submit scripts and the build must agree on what a JVM running Spark needs. */
class SubmitScriptsTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void scriptsAndBuildUseTheSameJava17Opens() throws IOException {
    List<String> script = Files.readAllLines(REPO.resolve("submit/lib/java17-opens")).stream()
        .map(String::trim).filter(line -> !line.isEmpty()).toList();
    List<String> build = Arrays.asList(System.getProperty("nightjar.javaOpens").trim().split("\\s+"));
    assertThat(script).isEqualTo(build);
  }

  @Test
  void everyClusterProfileSetsAMasterAndEventLogging() throws Exception {
    try (var profiles = Files.list(REPO.resolve("submit/profiles"))) {
      List<Path> files = profiles.sorted().toList();
      assertThat(files.stream().map(p -> p.getFileName().toString().replace(".env", "")))
          .containsExactlyInAnyOrder("local", "local-gpu", "standalone", "standalone-gpu", "yarn", "yarn-gpu", "k8s", "k8s-gpu");
      for (Path profile : files) {
        Process process = new ProcessBuilder("bash", "-c",
            "set -u; here=" + REPO.resolve("submit") + "; spark_conf=(); gpus=0; source " + profile
                + "; echo \"$master\"; printf '%s\\n' \"${spark_conf[@]}\"").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(profile + ": " + out).isZero();
        assertThat(out.lines().findFirst().orElse("")).as(profile.toString()).isNotBlank();
        assertThat(out).as(profile.toString()).contains("spark.eventLog.enabled=true");
      }
    }
  }

  @Test
  void helpOfEveryScriptRuns() throws Exception {
    for (String script : List.of("submit/pipeline.sh", "submit/nightjar-submit.sh", "submit/bench.sh")) {
      Process process = new ProcessBuilder("bash", REPO.resolve(script).toString(), "--help")
          .redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes());
      assertThat(process.waitFor()).as(script).isZero();
      assertThat(text).as(script).startsWith("Usage: " + script);
    }
  }
}
