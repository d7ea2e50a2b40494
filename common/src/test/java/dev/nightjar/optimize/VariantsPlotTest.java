package dev.nightjar.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The variants chart of a night like the default one; written to target/ for a person to look at.
 */
class VariantsPlotTest {
  private static VariantResult variant(
      String name, String engine, double accuracy, double imagesPerSecond) {
    return new VariantResult(
        name,
        "m",
        "fp32",
        engine,
        name + ".onnx",
        1000,
        1000,
        1000,
        accuracy,
        0.1,
        0.2,
        imagesPerSecond,
        "");
  }

  @Test
  void rendersEveryVariantOnALogScaleWithTheToleranceBandAndTheServingChoice() throws Exception {
    List<VariantResult> results =
        List.of(
            variant("fp32", "dl4j", 0.9160, 1900),
            variant("fp32", "onnxruntime", 0.9160, 12100),
            variant("fp16", "onnxruntime", 0.9161, 11300),
            variant("bf16", "onnxruntime", 0.9158, 11800),
            variant("int8", "onnxruntime", 0.9147, 14200),
            variant("pruned-50", "dl4j", 0.9150, 1800),
            variant("pruned-90", "dl4j", 0.8800, 1850),
            variant("filter-pruned-30", "onnxruntime", 0.9091, 30200),
            variant("filter-pruned-30-int8", "onnxruntime", 0.9090, 22400),
            variant("filter-pruned-50", "onnxruntime", 0.9062, 41700),
            variant("filter-pruned-50-int8", "onnxruntime", 0.9061, 30900),
            variant("distilled-tiny-cnn", "onnxruntime", 0.8975, 52000),
            variant("distilled-tiny-cnn-int8", "onnxruntime", 0.8970, 33000),
            variant("arch-lenet", "onnxruntime", Double.NaN, 40000));
    ServingSelector.Choice choice = new ServingSelector("onnxruntime", 1.0).choose(results);

    byte[] png = VariantsPlot.png(results, choice, 1.0);

    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(choice.chosen().name()).isEqualTo("filter-pruned-50");
    Path out = Path.of("target", "variants-plot-example.png");
    Files.createDirectories(out.getParent());
    Files.write(out, png);
  }
}
