package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The job jar registers the TwelveMonkeys ImageIO readers: the shade plugin merges the service
 * files of the plugin jars (ServicesResourceTransformer) instead of keeping one of them, so an
 * executor's ServiceLoader finds the JPEG, TIFF and WebP readers alike.
 */
class JobJarImagePluginsIT {
  private static final String READERS = "META-INF/services/javax.imageio.spi.ImageReaderSpi";

  @Test
  void theJobJarRegistersEveryImageReader() throws IOException {
    try (ZipFile jar = new ZipFile(Path.of(System.getProperty("nightjar.jobJar")).toFile())) {
      ZipEntry services = jar.getEntry(READERS);
      assertThat(services).as(READERS).isNotNull();
      List<String> readers;
      try (InputStream in = jar.getInputStream(services)) {
        readers =
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .map(String::trim)
                .toList();
      }
      assertThat(readers)
          .contains(
              "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi",
              "com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi",
              "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi");
      for (String reader : readers) {
        assertThat(jar.getEntry(reader.replace('.', '/') + ".class")).as(reader).isNotNull();
      }
    }
  }
}
