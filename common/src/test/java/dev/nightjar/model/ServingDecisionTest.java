package dev.nightjar.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightjar.data.InputScaling;
import dev.nightjar.io.InputException;
import dev.nightjar.io.JsonFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serving.json carries what a reader outside the JVM needs, and files without it still read. */
class ServingDecisionTest {
  private static final ServingDecision DECISION =
      new ServingDecision(
          "int8",
          "onnxruntime",
          "file:/out/optimized/run_date=2026-05-01/variants/int8.onnx",
          "ab12",
          "v1-int8",
          0.88,
          0.89,
          1.0,
          900,
          300,
          new int[] {1, 28, 28},
          3,
          "fastest within tolerance",
          List.of(),
          List.of("T-shirt/top", "Trouser", "Pullover"),
          "input",
          "probabilities",
          InputScaling.unitRange());

  @Test
  void writesTheFieldsAReaderOutsideTheJvmNeeds() throws Exception {
    JsonNode json = new ObjectMapper().readTree(JsonFiles.toJson(DECISION));
    assertThat(json.get("classNames").toString())
        .isEqualTo("[\"T-shirt/top\",\"Trouser\",\"Pullover\"]");
    assertThat(json.get("inputName").asText()).isEqualTo("input");
    assertThat(json.get("outputName").asText()).isEqualTo("probabilities");
    assertThat(json.get("imageShape").toString()).isEqualTo("[1,28,28]");
    JsonNode scaling = json.get("inputScaling");
    assertThat(scaling.get("layout").asText()).isEqualTo("NCHW");
    assertThat(scaling.get("dataType").asText()).isEqualTo("float32");
    assertThat(scaling.get("divisor").asDouble()).isEqualTo(255.0);
  }

  @Test
  void readsAFileWrittenWithoutThem() {
    String older =
        """
        {"variant": "fp32", "engine": "onnxruntime", "file": "f.onnx", "sha256": "ab12",
         "version": "v1-fp32", "testAccuracy": 0.9, "baselineAccuracy": 0.9,
         "tolerancePoints": 1.0, "imagesPerSecond": 500, "baselineImagesPerSecond": 500,
         "imageShape": [1, 28, 28], "numClasses": 10, "reason": "baseline", "rejected": []}
        """;
    ServingDecision decision =
        JsonFiles.parse(
            older.getBytes(StandardCharsets.UTF_8),
            ServingDecision.class,
            new Path("serving.json"));
    assertThat(decision.file()).isEqualTo("f.onnx");
    assertThat(decision.numClasses()).isEqualTo(10);
    assertThat(decision.withinTolerance(1.0)).isTrue();
    assertThat(decision.classNames()).isNull();
    assertThat(decision.inputScaling()).isNull();
  }

  @Test
  void roundTrips() {
    ServingDecision read =
        JsonFiles.parse(
            JsonFiles.toJson(DECISION).getBytes(StandardCharsets.UTF_8),
            ServingDecision.class,
            new Path("serving.json"));
    assertThat(read.classNames()).isEqualTo(DECISION.classNames());
    assertThat(read.inputScaling()).isEqualTo(DECISION.inputScaling());
    assertThat(read.inputName()).isEqualTo("input");
  }

  @Test
  void anAccuracyOrToleranceOutOfItsDomainIsRefusedNamingTheFile(@TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve(ServingDecision.FILE);
    ObjectMapper json = new ObjectMapper();
    ObjectNode valid = (ObjectNode) json.readTree(JsonFiles.toJson(DECISION));
    valid.put("sha256", "ab".repeat(32));
    Path name = new Path(file.toUri());
    Map<String, String> refusals =
        Map.of(
            "testAccuracy", "NaN",
            "baselineAccuracy", "-1.0E308",
            "tolerancePoints", "Infinity");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      ObjectNode doc = valid.deepCopy();
      doc.put(refusal.getKey(), refusal.getValue());
      Files.write(file, json.writeValueAsBytes(doc));
      assertThatThrownBy(() -> ModelDocuments.readServing(new Configuration(), name))
          .isInstanceOf(InputException.class)
          .hasMessageStartingWith(
              name + ": " + refusal.getKey() + " " + refusal.getValue() + " is not in [0, ");
    }
    Files.write(file, json.writeValueAsBytes(valid));
    assertThat(ModelDocuments.readServing(new Configuration(), name).testAccuracy())
        .isEqualTo(0.88);
  }
}
