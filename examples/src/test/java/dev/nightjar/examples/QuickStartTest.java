package dev.nightjar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.ml.NightjarModel;
import dev.nightjar.spark.SessionSettings;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.ImageFolders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java examples are this module's code, and they run. */
class QuickStartTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void theReadmeQuotesTheExamplesWordForWord() throws IOException {
    String readme = Files.readString(REPO.resolve("README.md"));
    assertThat(readme).contains("```java\n" + snippet("QuickStart", "README") + "```\n");
    assertThat(readme).contains("```java\n" + snippet("ScoreImages", "README:score") + "```\n");
  }

  @Test
  void theExamplesRunEveryStageThenScoreWithTheServedModel(@TempDir Path output)
      throws IOException {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      QuickStart.run(
          "output-root=" + output.toUri(),
          "data.source=" + FashionMnist.dir(),
          "data.train-limit=2000",
          "data.test-limit=500",
          "prepare.partitions=2",
          "train.model=tiny-cnn",
          "train.epochs=1",
          "optimize.variants=[int8]",
          "optimize.architectures=[]");
    } finally {
      System.setOut(stdout);
    }
    // The example's own output, for the build log.
    System.out.print(printed.toString(StandardCharsets.UTF_8));
    List<String> summaries =
        printed
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(line -> line.startsWith("SummaryRow["))
            .toList();
    assertThat(summaries).hasSize(4);
    assertThat(summaries.get(0)).contains("stage=prepare");
    assertThat(summaries.get(3)).contains("stage=infer");
    assertThat(output.resolve("predictions")).isDirectory();

    scoreImagesWithTheServedModel(output);
  }

  /** Saves the night's serving model, then scores PNG files with it as the README shows. */
  private static void scoreImagesWithTheServedModel(Path output) throws IOException {
    Path optimized;
    try (var dates = Files.list(output.resolve("optimized"))) {
      optimized = dates.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    Path images = output.resolve("png");
    int written = ImageFolders.write(images, 12, 28, "png", label -> true);
    String saved = output.resolve("saved-model").toUri().toString();
    SparkConf conf =
        SessionSettings.apply(new SparkConf().setMaster("local[2]"), ConfigLoader.fromOverrides())
            .set("spark.ui.enabled", "false");
    try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
      NightjarModel.fromServing(spark, optimized.toUri().toString()).write().save(saved);
      ScoreImages.Scored result = ScoreImages.run(spark, saved, images.toUri().toString());
      // As ScoreImages.main shows them, for the build log.
      result.scored().show(5, false);
      result.classes().show(5, false);
      Map<String, Double> predictions = new HashMap<>();
      for (Row row : result.scored().collectAsList()) {
        assertThat(row.getList(row.fieldIndex("top_k"))).hasSize(3);
        predictions.put(row.getString(0), row.getDouble(1));
      }
      assertThat(predictions).hasSize(written);
      Map<String, Double> classes = new HashMap<>();
      for (Row row : result.classes().collectAsList()) {
        classes.put(row.getString(0), (double) row.getInt(1));
      }
      assertThat(classes).isEqualTo(predictions);
    }
  }

  /** The lines of an example between its README markers, without their indentation. */
  private static String snippet(String example, String marker) throws IOException {
    List<String> lines =
        Files.readAllLines(
            REPO.resolve("examples/src/main/java/dev/nightjar/examples/" + example + ".java"));
    int begin = lines.indexOf("    // " + marker + ":begin");
    int end = lines.indexOf("    // " + marker + ":end");
    assertThat(begin).as(example + " " + marker).isNotNegative().isLessThan(end);
    StringBuilder snippet = new StringBuilder();
    for (String line : lines.subList(begin + 1, end)) {
      snippet.append(line.length() >= 4 ? line.substring(4) : line).append('\n');
    }
    return snippet.toString();
  }
}
