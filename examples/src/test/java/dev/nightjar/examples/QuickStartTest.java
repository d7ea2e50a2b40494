package dev.nightjar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.testing.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example is this module's code, and it runs. */
class QuickStartTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void theReadmeQuotesTheExampleWordForWord() throws IOException {
    String readme = Files.readString(REPO.resolve("README.md"));
    assertThat(readme).contains("```java\n" + snippet() + "```\n");
  }

  @Test
  void theExampleRunsEveryStageOnASliceOfFashionMnist(@TempDir Path output) {
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
  }

  /** The lines between the README markers, without their indentation. */
  private static String snippet() throws IOException {
    List<String> lines =
        Files.readAllLines(
            REPO.resolve("examples/src/main/java/dev/nightjar/examples/QuickStart.java"));
    int begin = lines.indexOf("    // README:begin");
    int end = lines.indexOf("    // README:end");
    StringBuilder snippet = new StringBuilder();
    for (String line : lines.subList(begin + 1, end)) {
      snippet.append(line.length() >= 4 ? line.substring(4) : line).append('\n');
    }
    return snippet.toString();
  }
}
