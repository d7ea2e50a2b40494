package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/python.md quotes the predict function that notebook 04 runs, word for word, so the recipe
 * shows the code the notebook test checks.
 */
class PythonDocsTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void theDocsQuoteThePredictFunctionWordForWord() throws IOException {
    List<String> lines = Files.readAllLines(REPO.resolve("notebooks/nightjar_serving.py"));
    int begin = lines.indexOf("# docs:begin");
    int end = lines.indexOf("# docs:end");
    assertThat(begin).isNotNegative().isLessThan(end);
    String quoted = String.join("\n", lines.subList(begin + 1, end)) + "\n";
    assertThat(Files.readString(REPO.resolve("docs/python.md")))
        .contains("```python\n" + quoted + "```\n");
  }
}
