package dev.nightjar.source.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Decoded images as opaque 8-bit sRGB, where Java 2D's own conversion would change the picture:
 *
 * <ul>
 *   <li>grey of any depth is taken as stored. PNG and JPEG store grey gamma-encoded, but Java
 *       labels it linear, and drawing it in colour brightens every mid-tone;
 *   <li>alpha is dropped, as Pillow's {@code convert} does, so a transparent pixel keeps its stored
 *       colour instead of turning black.
 * </ul>
 *
 * Any other image is returned as it is: Java 2D converts indexed, 16-bit and profiled colour right.
 */
final class OpaqueRgb {
  private OpaqueRgb() {}

  static BufferedImage of(BufferedImage image) {
    ColorModel model = image.getColorModel();
    if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && !(model instanceof IndexColorModel)) {
      return fromGrey(image.getRaster(), model.getComponentSize(0));
    }
    if (model.hasAlpha()) {
      BufferedImage rgb =
          new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
      int[] argb =
          image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
      rgb.setRGB(0, 0, image.getWidth(), image.getHeight(), argb, 0, image.getWidth());
      return rgb;
    }
    return image;
  }

  /**
   * Plain (not inverted) CMYK samples by the formula readers use when a file has no profile: each
   * colour is what its ink leaves of white, and black darkens all three.
   */
  static BufferedImage fromPlainCmyk(Raster cmyk) {
    int width = cmyk.getWidth();
    int height = cmyk.getHeight();
    BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    int[] pixel = new int[4];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        cmyk.getPixel(cmyk.getMinX() + x, cmyk.getMinY() + y, pixel);
        int k = pixel[3];
        int r = 255 - (pixel[0] * (255 - k) / 255 + k);
        int g = 255 - (pixel[1] * (255 - k) / 255 + k);
        int b = 255 - (pixel[2] * (255 - k) / 255 + k);
        out[y * width + x] = (r << 16) | (g << 8) | b;
      }
    }
    return rgb;
  }

  private static BufferedImage fromGrey(Raster raster, int bits) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    long max = (1L << bits) - 1;
    BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, row);
      for (int x = 0; x < width; x++) {
        int v = (int) ((row[x] * 255L + max / 2) / max);
        out[y * width + x] = (v << 16) | (v << 8) | v;
      }
    }
    return rgb;
  }
}
