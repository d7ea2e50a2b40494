package dev.nightjar.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private static final String ENDPOINT = "spark.hadoop.fs.s3a.endpoint";

  @AfterEach
  void clear() {
    System.clearProperty(ENDPOINT);
  }

  @Test
  void theConfigurationBeforeSparkHasTheSessionsHadoopSettingsSparkSubmitsOverNightjars() {
    NightjarConfig config =
        ConfigLoader.fromOverrides(
            "output-root=/tmp/nightjar",
            "spark.hadoop.fs.s3a.endpoint=http://from-nightjar-conf:9000",
            "spark.hadoop.fs.s3a.path.style.access=true");
    Configuration fromConfig = Sessions.hadoopConf(config);
    assertThat(fromConfig.get("fs.s3a.endpoint")).isEqualTo("http://from-nightjar-conf:9000");
    assertThat(fromConfig.get("fs.s3a.path.style.access")).isEqualTo("true");
    assertThat(fromConfig.get("fs.permissions.umask-mode")).isEqualTo("077");

    // spark-submit --conf reaches the driver as a system property, and wins.
    System.setProperty(ENDPOINT, "http://from-spark-submit:9000");
    assertThat(Sessions.hadoopConf(config).get("fs.s3a.endpoint"))
        .isEqualTo("http://from-spark-submit:9000");
  }
}
