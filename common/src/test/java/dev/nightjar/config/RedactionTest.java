package dev.nightjar.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Secrets set as settings never reach what Nightjar writes out (model.json records the settings).
 */
class RedactionTest {
  @Test
  void sparkSecretsInTheRenderedSettingsAreRedactedAndTheRestKept() throws Exception {
    NightjarConfig config =
        ConfigLoader.fromOverrides(
            "spark.hadoop.fs.s3a.secret.key=hunter2",
            "spark.hadoop.fs.s3a.access.key=AKIAEXAMPLE",
            "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000",
            "train.epochs=3");
    Map<String, Object> rendered =
        new ObjectMapper()
            .readValue(config.rendered(), new TypeReference<Map<String, Object>>() {});
    Map<String, Object> redacted =
        Redaction.redact(rendered, Pattern.compile(Redaction.SPARK_DEFAULT));

    String written = new ObjectMapper().writeValueAsString(redacted);
    assertThat(config.rendered()).contains("hunter2");
    assertThat(written)
        .doesNotContain("hunter2")
        .doesNotContain("AKIAEXAMPLE")
        .contains(Redaction.REPLACEMENT)
        .contains("http://127.0.0.1:9000");
    assertThat(redacted.get("train"))
        .isEqualTo(rendered.get("train"))
        .asString()
        .contains("epochs");
  }
}
