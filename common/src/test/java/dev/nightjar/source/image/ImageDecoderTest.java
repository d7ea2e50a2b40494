package dev.nightjar.source.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.WebpLossless;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class ImageDecoderTest {
  private static byte[] square(int value) {
    byte[] pixels = new byte[784];
    Arrays.fill(pixels, (byte) value);
    return pixels;
  }

  @Test
  void decodesAndResizesJpegAndPngToGreyOrRgb() throws Exception {
    byte[] png = ImageFolders.encode(square(200), 250, "png");
    byte[] grey = new ImageDecoder(1, 28, 28, 1_000_000, 1 << 20).decode(png);
    assertThat(grey).hasSize(784);
    assertThat(grey[400] & 0xFF).isEqualTo(200);
    byte[] rgb =
        new ImageDecoder(3, 32, 16, 1_000_000, 1 << 20)
            .decode(ImageFolders.encode(square(90), 250, "jpg"));
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
      for (ImageDecoder decoder :
          new ImageDecoder[] {
            new ImageDecoder(1, 28, 28, 1_000_000, 1 << 20),
            new ImageDecoder(3, 20, 24, 1_000_000, 1 << 20)
          }) {
        assertThat(decoder.resize(whole)).as("%dx%d", size, size).isEqualTo(decoder.decode(png));
      }
    }
    BufferedImage large = new BufferedImage(2000, 1000, BufferedImage.TYPE_BYTE_GRAY);
    assertThatThrownBy(() -> new ImageDecoder(1, 28, 28, 1_000_000, 1 << 20).resize(large))
        .isInstanceOf(ImageRejected.class)
        .hasMessage(
            "has 2000x1000 pixels, over the limit of 1000000 (nightjar.prepare.image.max-pixels)");
  }

  @Test
  void rejectsEmptyGarbageAndTruncatedFiles() throws Exception {
    ImageDecoder decoder = new ImageDecoder(1, 28, 28, 1_000_000, 1 << 20);
    assertThatThrownBy(() -> decoder.decode(new byte[0]))
        .isInstanceOf(ImageRejected.class)
        .hasMessage("empty file");
    assertThatThrownBy(() -> decoder.decode("hello, world".getBytes()))
        .isInstanceOf(ImageRejected.class)
        .hasMessageContaining("not a JPEG, PNG");
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
    byte[] header =
        new byte[] {
          'I',
          'H',
          'D',
          'R',
          0,
          1,
          (byte) 0x86,
          (byte) 0xA0,
          0,
          1,
          (byte) 0x86,
          (byte) 0xA0,
          8,
          0,
          0,
          0,
          0
        };
    out.writeInt(13);
    out.write(header);
    CRC32 crc = new CRC32();
    crc.update(header);
    out.writeInt((int) crc.getValue());
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> new ImageDecoder(1, 28, 28, 50_000_000, 1 << 20).decode(bytes.toByteArray()))
        .isInstanceOf(ImageRejected.class)
        .hasMessageContaining("100000x100000 pixels, over the limit");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
  }

  @Test
  void refusesAnEncodedImageOverTheByteLimitUnread() throws Exception {
    byte[] png = ImageFolders.encode(square(200), 250, "png");
    ImageDecoder decoder = new ImageDecoder(1, 28, 28, 1_000_000, png.length - 1);
    assertThatThrownBy(() -> decoder.decode(png))
        .isInstanceOf(ImageRejected.class)
        .hasMessage(
            "image of "
                + png.length
                + " bytes is over the limit of "
                + (png.length - 1)
                + " (nightjar.prepare.image.max-bytes)");
  }

  // Each kind of file below must decode to the picture it was written from, not merely decode.

  static final int SIZE = 32;

  /** A 32×32 picture of moderate colours (inside what CMYK reproduces), as ARGB. */
  static int[] picture() {
    int[] argb = new int[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int r = 40 + x * 5;
        int g = 200 - y * 4;
        int b = 60 + ((x * 3 + y * 5) % 32) * 5;
        argb[y * SIZE + x] = 0xFF000000 | (r << 16) | (g << 8) | b;
      }
    }
    return argb;
  }

  private static int[] greys() {
    int[] grey = new int[SIZE * SIZE];
    for (int i = 0; i < grey.length; i++) {
      grey[i] = 20 + (i * 7) % 216;
    }
    return grey;
  }

  /** Mean absolute difference, per channel value, between the decoded planes and the picture. */
  static double rgbDifference(byte[] decoded, int[] argb) {
    int plane = SIZE * SIZE;
    long sum = 0;
    for (int i = 0; i < plane; i++) {
      sum += Math.abs((decoded[i] & 0xFF) - ((argb[i] >> 16) & 0xFF));
      sum += Math.abs((decoded[plane + i] & 0xFF) - ((argb[i] >> 8) & 0xFF));
      sum += Math.abs((decoded[2 * plane + i] & 0xFF) - (argb[i] & 0xFF));
    }
    return sum / (3.0 * plane);
  }

  private static double greyDifference(byte[] decoded, int[] grey) {
    long sum = 0;
    for (int i = 0; i < grey.length; i++) {
      sum += Math.abs((decoded[i] & 0xFF) - grey[i]);
    }
    return sum / (double) grey.length;
  }

  private static byte[] decodeRgb(byte[] encoded) throws ImageRejected {
    return new ImageDecoder(3, SIZE, SIZE, 1_000_000, 1 << 20).decode(encoded);
  }

  private static byte[] decodeGrey(byte[] encoded) throws ImageRejected {
    return new ImageDecoder(1, SIZE, SIZE, 1_000_000, 1 << 20).decode(encoded);
  }

  /**
   * Ink values, 0 to 255, by the plain formula CMYK JPEG readers fall back on without a profile.
   */
  static int[][] cmyk(int[] argb) {
    int[][] inks = new int[argb.length][];
    for (int i = 0; i < argb.length; i++) {
      int r = (argb[i] >> 16) & 0xFF;
      int g = (argb[i] >> 8) & 0xFF;
      int b = argb[i] & 0xFF;
      int k = 255 - Math.max(r, Math.max(g, b));
      inks[i] = new int[] {ink(r, k), ink(g, k), ink(b, k), k};
    }
    return inks;
  }

  private static int ink(int value, int k) {
    return k == 255 ? 0 : Math.round((255f - k - value) * 255f / (255 - k));
  }

  /**
   * A four-channel JPEG of {@code samples} as stored; {@code adobeTransform} null writes no Adobe
   * marker.
   */
  static byte[] fourChannelJpeg(int[][] samples, Integer adobeTransform) throws Exception {
    WritableRaster raster =
        Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, SIZE, SIZE, 4, null);
    for (int i = 0; i < samples.length; i++) {
      raster.setPixel(i % SIZE, i / SIZE, samples[i]);
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(1.0f);
    ColorModel model =
        new ComponentColorModel(
            new PlainCmyk(), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    IIOMetadata metadata =
        writer.getDefaultImageMetadata(
            new ImageTypeSpecifier(model, raster.getSampleModel()), param);
    String format = "javax_imageio_jpeg_image_1.0";
    Element tree = (Element) metadata.getAsTree(format);
    Element adobe = (Element) tree.getElementsByTagName("app14Adobe").item(0);
    if (adobeTransform == null) {
      adobe.getParentNode().removeChild(adobe);
    } else {
      adobe.setAttribute("transform", String.valueOf(adobeTransform));
    }
    // No channel subsampled, so the picture's fine detail survives in every channel.
    org.w3c.dom.NodeList components = tree.getElementsByTagName("componentSpec");
    for (int c = 0; c < components.getLength(); c++) {
      ((Element) components.item(c)).setAttribute("HsamplingFactor", "1");
      ((Element) components.item(c)).setAttribute("VsamplingFactor", "1");
    }
    metadata.setFromTree(format, tree);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, metadata), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  @Test
  void aCmykJpegWithoutAnAdobeMarkerIsThePicture() throws Exception {
    // libjpeg's reading, and Pillow's: four channels and no Adobe marker are plain CMYK.
    int[] picture = picture();
    assertThat(rgbDifference(decodeRgb(fourChannelJpeg(cmyk(picture), null)), picture))
        .isLessThan(4.0);
  }

  @Test
  void anAdobeInvertedCmykJpegIsThePicture() throws Exception {
    // Photoshop's CMYK: an Adobe marker (transform 0) and every sample stored inverted.
    int[] picture = picture();
    int[][] inverted = cmyk(picture);
    for (int[] inks : inverted) {
      for (int c = 0; c < 4; c++) {
        inks[c] = 255 - inks[c];
      }
    }
    assertThat(rgbDifference(decodeRgb(fourChannelJpeg(inverted, 0)), picture)).isLessThan(4.0);
  }

  @Test
  void aYcckJpegIsThePicture() throws Exception {
    // Adobe's YCCK: C, M and Y, taken as R, G and B, stored as YCbCr; K stored inverted.
    int[] picture = picture();
    int[][] ycck = cmyk(picture);
    for (int[] inks : ycck) {
      double r = inks[0];
      double g = inks[1];
      double b = inks[2];
      inks[0] = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      inks[1] =
          (int) Math.round(Math.max(0, Math.min(255, 128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
      inks[2] =
          (int) Math.round(Math.max(0, Math.min(255, 128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
      inks[3] = 255 - inks[3];
    }
    assertThat(rgbDifference(decodeRgb(fourChannelJpeg(ycck, 2)), picture)).isLessThan(4.0);
  }

  @Test
  void aGreyPngWithAlphaIsItsGreys() throws Exception {
    // Alpha is dropped, as Pillow's convert("L") does: the stored grey is the picture.
    int[] grey = greys();
    ColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = model.createCompatibleWritableRaster(SIZE, SIZE);
    for (int i = 0; i < grey.length; i++) {
      raster.setPixel(i % SIZE, i / SIZE, new int[] {grey[i], i % 5 == 0 ? 128 : 255});
    }
    byte[] png = png(new BufferedImage(model, raster, false, null));
    assertThat(greyDifference(decodeGrey(png), grey)).isLessThan(1.0);
    int[] asRgb = Arrays.stream(grey).map(v -> 0xFF000000 | v << 16 | v << 8 | v).toArray();
    assertThat(rgbDifference(decodeRgb(png), asRgb)).isLessThan(1.0);
  }

  @Test
  void sixteenBitPngsAreTheirPictures() throws Exception {
    int[] grey = greys();
    BufferedImage grey16 = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_USHORT_GRAY);
    for (int i = 0; i < grey.length; i++) {
      grey16.getRaster().setSample(i % SIZE, i / SIZE, 0, grey[i] * 257);
    }
    assertThat(greyDifference(decodeGrey(png(grey16)), grey)).isLessThan(1.0);

    int[] picture = picture();
    ColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(SIZE, SIZE);
    for (int i = 0; i < picture.length; i++) {
      int p = picture[i];
      raster.setPixel(
          i % SIZE,
          i / SIZE,
          new int[] {((p >> 16) & 0xFF) * 257, ((p >> 8) & 0xFF) * 257, (p & 0xFF) * 257});
    }
    assertThat(
            rgbDifference(decodeRgb(png(new BufferedImage(model, raster, false, null))), picture))
        .isLessThan(1.0);
  }

  @Test
  void aPalettePngIsItsPicture() throws Exception {
    int[] palette = new int[16];
    for (int c = 0; c < 16; c++) {
      palette[c] = (c * 16) << 16 | (255 - c * 12) << 8 | (c * 37 % 256);
    }
    IndexColorModel model = new IndexColorModel(8, 16, palette, 0, false, -1, DataBuffer.TYPE_BYTE);
    BufferedImage indexed = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_INDEXED, model);
    int[] picture = new int[SIZE * SIZE];
    for (int i = 0; i < picture.length; i++) {
      int c = (i / 3 + i / SIZE) % 16;
      indexed.getRaster().setSample(i % SIZE, i / SIZE, 0, c);
      picture[i] = 0xFF000000 | palette[c];
    }
    assertThat(rgbDifference(decodeRgb(png(indexed)), picture)).isLessThan(1.0);
  }

  @Test
  void tiffAndLosslessWebpAreTheirPictures() throws Exception {
    int[] picture = picture();
    BufferedImage rgb = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, SIZE, SIZE, picture, 0, SIZE);
    ByteArrayOutputStream tiff = new ByteArrayOutputStream();
    assertThat(ImageIO.write(rgb, "tiff", tiff)).isTrue();
    assertThat(rgbDifference(decodeRgb(tiff.toByteArray()), picture)).isLessThan(1.0);
    assertThat(rgbDifference(decodeRgb(WebpLossless.encode(picture, SIZE, SIZE, false)), picture))
        .isLessThan(1.0);
  }

  private static byte[] png(BufferedImage image) throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, "png", png)).isTrue();
    return png.toByteArray();
  }

  /**
   * A CMYK colour space by the plain formula: all a JPEG writer needs to know the channels are
   * inks.
   */
  private static final class PlainCmyk extends ColorSpace {
    private static final long serialVersionUID = 1L;

    PlainCmyk() {
      super(ColorSpace.TYPE_CMYK, 4);
    }

    @Override
    public float[] toRGB(float[] v) {
      return new float[] {
        (1 - v[0]) * (1 - v[3]), (1 - v[1]) * (1 - v[3]), (1 - v[2]) * (1 - v[3])
      };
    }

    @Override
    public float[] fromRGB(float[] rgb) {
      float k = 1 - Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
      return k == 1
          ? new float[] {0, 0, 0, 1}
          : new float[] {
            (1 - rgb[0] - k) / (1 - k), (1 - rgb[1] - k) / (1 - k), (1 - rgb[2] - k) / (1 - k), k
          };
    }

    @Override
    public float[] toCIEXYZ(float[] v) {
      return ColorSpace.getInstance(ColorSpace.CS_sRGB).toCIEXYZ(toRGB(v));
    }

    @Override
    public float[] fromCIEXYZ(float[] xyz) {
      return fromRGB(ColorSpace.getInstance(ColorSpace.CS_sRGB).fromCIEXYZ(xyz));
    }
  }

  @Test
  void decodingLeavesImageIoWithoutADiskCache() throws Exception {
    decodeRgb(ImageFolders.encode(square(90), 64, "png"));
    assertThat(ImageIO.getUseCache()).isFalse();
  }
}
