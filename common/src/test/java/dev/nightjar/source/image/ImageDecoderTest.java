package dev.nightjar.source.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.testing.ImageFolders;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
  private static byte[] square(int value) {
    byte[] pixels = new byte[784];
    Arrays.fill(pixels, (byte) value);
    return pixels;
  }

  @Test
  void decodesAndResizesJpegAndPngToGreyOrRgb() throws Exception {
    byte[] png = ImageFolders.encode(square(200), 250, "png");
    byte[] grey = new ImageDecoder(1, 28, 28, 1_000_000).decode(png);
    assertThat(grey).hasSize(784);
    assertThat(grey[400] & 0xFF).isEqualTo(200);
    byte[] rgb = new ImageDecoder(3, 32, 16, 1_000_000).decode(ImageFolders.encode(square(90), 250, "jpg"));
    assertThat(rgb).hasSize(3 * 32 * 16);
    assertThat(rgb[100] & 0xFF).isBetween(85, 95);
    assertThat(rgb[512 + 100] & 0xFF).isBetween(85, 95);
  }

  @Test
  void resizesAnImageDecodedElsewhereAsItDecodesTheFile() throws Exception {
    byte[] pixels = new byte[784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    for (int size : new int[] {28, 40, 90, 250}) {
      byte[] png = ImageFolders.encode(pixels, size, "png");
      BufferedImage whole = ImageIO.read(new ByteArrayInputStream(png));
      for (ImageDecoder decoder : new ImageDecoder[] {new ImageDecoder(1, 28, 28, 1_000_000), new ImageDecoder(3, 20, 24, 1_000_000)}) {
        assertThat(decoder.resize(whole)).as("%dx%d", size, size).isEqualTo(decoder.decode(png));
      }
    }
    BufferedImage large = new BufferedImage(2000, 1000, BufferedImage.TYPE_BYTE_GRAY);
    assertThatThrownBy(() -> new ImageDecoder(1, 28, 28, 1_000_000).resize(large))
        .isInstanceOf(ImageRejected.class).hasMessage("has 2000x1000 pixels, over the limit of 1000000");
  }

  @Test
  void rejectsEmptyGarbageAndTruncatedFiles() throws Exception {
    ImageDecoder decoder = new ImageDecoder(1, 28, 28, 1_000_000);
    assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(ImageRejected.class).hasMessage("empty file");
    assertThatThrownBy(() -> decoder.decode("hello, world".getBytes()))
        .isInstanceOf(ImageRejected.class).hasMessageContaining("not a JPEG, PNG");
    byte[] jpeg = ImageFolders.encode(square(120), 250, "jpg");
    assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2)))
        .isInstanceOf(ImageRejected.class);
  }

  @Test
  void refusesADecompressionBombWithoutDecodingIt() throws Exception {
    // A PNG header declaring 100000 x 100000 pixels, with almost no data behind it.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    byte[] header = new byte[] {'I', 'H', 'D', 'R', 0, 1, (byte) 0x86, (byte) 0xA0, 0, 1, (byte) 0x86, (byte) 0xA0, 8, 0, 0, 0, 0};
    out.writeInt(13);
    out.write(header);
    CRC32 crc = new CRC32();
    crc.update(header);
    out.writeInt((int) crc.getValue());
    long start = System.nanoTime();
    assertThatThrownBy(() -> new ImageDecoder(1, 28, 28, 50_000_000).decode(bytes.toByteArray()))
        .isInstanceOf(ImageRejected.class)
        .hasMessageContaining("100000x100000 pixels, over the limit");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
  }
}
