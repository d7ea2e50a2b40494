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
    List<String> script =
        Files.readAllLines(REPO.resolve("submit/lib/java17-opens")).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty())
            .toList();
    List<String> build =
        Arrays.asList(System.getProperty("nightjar.javaOpens").trim().split("\\s+"));
    assertThat(script).isEqualTo(build);
  }

  @Test
  void everyClusterProfileSetsAMasterAndEventLogging() throws Exception {
    List<Path> files = profiles();
    assertThat(files.stream().map(SubmitScriptsTest::profileName))
        .containsExactlyInAnyOrder(
            "local",
            "local-gpu",
            "standalone",
            "standalone-gpu",
            "yarn",
            "yarn-gpu",
            "k8s",
            "k8s-gpu");
    for (Path profile : files) {
      List<String> out = sourced(profile);
      assertThat(out.get(0)).as(profile + ": the master").isNotBlank();
      assertThat(out).as(profile.toString()).contains("spark.eventLog.enabled=true");
    }
  }

  @Test
  void clusterProfilesAuthenticateAndEncryptAndLocalOnesNeedNoSecret() throws Exception {
    for (Path profile : profiles()) {
      List<String> settings = sourced(profile);
      if (profileName(profile).startsWith("local")) {
        assertThat(settings)
            .as(profile.toString())
            .noneMatch(setting -> setting.startsWith("spark.authenticate"));
      } else {
        assertThat(settings)
            .as(profile.toString())
            .contains(
                "spark.authenticate=true",
                "spark.network.crypto.enabled=true",
                "spark.network.crypto.saslFallback=false",
                "spark.io.encryption.enabled=true");
      }
    }
    // The standalone daemons must speak the protocol the applications do.
    List<String> daemons =
        Files.readAllLines(REPO.resolve("submit/security/spark-daemons.conf")).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .map(line -> line.trim().replaceAll("\\s+", "="))
            .toList();
    assertThat(daemons).isNotEmpty();
    assertThat(sourced(REPO.resolve("submit/profiles/standalone.env"))).containsAll(daemons);
  }

  private static List<Path> profiles() throws IOException {
    try (var profiles = Files.list(REPO.resolve("submit/profiles"))) {
      return profiles.sorted().toList();
    }
  }

  private static String profileName(Path profile) {
    return profile.getFileName().toString().replace(".env", "");
  }

  /** The master a profile picks, then its Spark settings, one a line. */
  private static List<String> sourced(Path profile) throws Exception {
    Process process =
        new ProcessBuilder(
                "bash",
                "-c",
                "set -u; here="
                    + REPO.resolve("submit")
                    + "; spark_conf=(); gpus=0; source "
                    + profile
                    + "; echo \"$master\"; printf '%s\\n' \"${spark_conf[@]}\"")
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(profile + ": " + out).isZero();
    return out.lines().toList();
  }

  @Test
  void helpOfEveryScriptRuns() throws Exception {
    for (String script :
        List.of(
            "submit/pipeline.sh",
            "submit/nightjar-submit.sh",
            "submit/bench.sh",
            "submit/install-data.sh")) {
      Process process =
          new ProcessBuilder("bash", REPO.resolve(script).toString(), "--help")
              .redirectErrorStream(true)
              .start();
      String text = new String(process.getInputStream().readAllBytes());
      assertThat(process.waitFor()).as(script).isZero();
      assertThat(text).as(script).startsWith("Usage: " + script);
    }
  }
}
