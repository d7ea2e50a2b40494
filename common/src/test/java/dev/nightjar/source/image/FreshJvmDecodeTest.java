package dev.nightjar.source.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ImageIO plugins and settings hold on an executor too, where the job's jars are visible only
 * to task threads: a JVM that touched ImageIO before any task still decodes a CMYK JPEG right, and
 * keeps no disk cache.
 */
class FreshJvmDecodeTest {
  @TempDir Path dir;

  @Test
  void aTaskThreadOfAFreshJvmDecodesCmykWithThePluginsOfTheJobsJars() throws Exception {
    int[] picture = ImageDecoderTest.picture();
    int[][] inverted = ImageDecoderTest.cmyk(picture);
    for (int[] inks : inverted) {
      for (int c = 0; c < 4; c++) {
        inks[c] = 255 - inks[c];
      }
    }
    Path jpeg = dir.resolve("cmyk.jpg");
    Files.write(jpeg, ImageDecoderTest.fourChannelJpeg(inverted, 0));

    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                location(FreshExecutorJvm.class).getPath(),
                FreshExecutorJvm.class.getName(),
                jpeg.toString()));
    command.add(location(ImageDecoder.class).toString());
    command.addAll(twelveMonkeysJars());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();

    byte[] pixels = Base64.getDecoder().decode(line(output, "pixels "));
    assertThat(ImageDecoderTest.rgbDifference(pixels, picture))
        .as("mean difference from the picture")
        .isLessThan(4.0);
    assertThat(line(output, "useCache ")).isEqualTo("false");
  }

  private static URL location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }

  /** Every TwelveMonkeys jar of this JVM's class path, wherever the test runner lists it. */
  private static List<String> twelveMonkeysJars() throws IOException {
    List<String> jars = new ArrayList<>();
    for (URL manifest :
        Collections.list(ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF"))) {
      String text = manifest.toString();
      if (text.startsWith("jar:") && text.contains("/com/twelvemonkeys/")) {
        jars.add(text.substring(4, text.indexOf("!/")));
      }
    }
    assertThat(jars).as("TwelveMonkeys jars on the test class path").hasSizeGreaterThanOrEqualTo(6);
    return jars;
  }

  private static String line(String output, String prefix) {
    return output
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' in: " + output));
  }
}
