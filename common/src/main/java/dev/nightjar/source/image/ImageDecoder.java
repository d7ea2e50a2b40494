package dev.nightjar.source.image;

import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.ImageConfig;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an encoded image (JPEG, PNG, BMP, GIF, TIFF, WebP) into 8-bit pixels of a fixed shape,
 * channel-major, the picture as Pillow would show it: CMYK and YCCK JPEGs in their colours, grey as
 * stored, alpha dropped (see {@link OpaqueRgb}).
 *
 * <p>It refuses encoded images over {@code maxBytes}, and reads the declared size before decoding
 * and refuses images over {@code maxPixels}, so a decompression bomb costs nothing. Large images
 * are subsampled while decoding (to no less than twice the target size) rather than decoded whole
 * and shrunk: most of the time of a 250×250 JPEG going to 28×28 is colour conversion of pixels that
 * would be thrown away. A decoder warning (a truncated JPEG still "decodes", with grey where data
 * is missing) rejects the image.
 */
public final class ImageDecoder implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int channels;
  private final int height;
  private final int width;
  private final long maxPixels;
  private final long maxBytes;

  /**
   * @param maxBytes the largest encoded image decoded; a larger one is refused unread
   */
  public ImageDecoder(int channels, int height, int width, long maxPixels, long maxBytes) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.maxPixels = maxPixels;
    this.maxBytes = maxBytes;
  }

  /** A decoder to the configured shape and limits. */
  public static ImageDecoder of(ImageConfig image) {
    return new ImageDecoder(
        image.channels(), image.height(), image.width(), image.maxPixels(), image.maxBytes());
  }

  /** The largest encoded image this decoder reads. */
  public long maxBytes() {
    return maxBytes;
  }

  /** Why an encoded image of {@code bytes} is refused, or null when it is within the limit. */
  public String sizeProblem(long bytes) {
    return bytes <= maxBytes
        ? null
        : "image of "
            + bytes
            + " bytes is over the limit of "
            + maxBytes
            + " ("
            + ConfigKeys.PREPARE_MAX_IMAGE_BYTES
            + ")";
  }

  /** The decoded pixels, {@code channels × height × width} bytes, channel-major (RGB order). */
  public byte[] decode(byte[] encoded) throws ImageRejected {
    if (encoded.length == 0) {
      throw new ImageRejected("empty file");
    }
    String tooLarge = sizeProblem(encoded.length);
    if (tooLarge != null) {
      throw new ImageRejected(tooLarge);
    }
    ImageIoSetup.ensure();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageRejected("not a JPEG, PNG, BMP, GIF, TIFF or WebP image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int sourceWidth = reader.getWidth(0);
        int sourceHeight = reader.getHeight(0);
        if (sourceWidth <= 0 || sourceHeight <= 0) {
          throw new ImageRejected("declares a size of " + sourceWidth + "x" + sourceHeight);
        }
        if ((long) sourceWidth * sourceHeight > maxPixels) {
          throw new ImageRejected(
              "declares "
                  + sourceWidth
                  + "x"
                  + sourceHeight
                  + " pixels, over the limit of "
                  + maxPixels
                  + " ("
                  + ConfigKeys.PREPARE_MAX_IMAGE_PIXELS
                  + ")");
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsampling(sourceWidth, sourceHeight);
        param.setSourceSubsampling(step, step, 0, 0);
        StringBuilder warnings = new StringBuilder();
        reader.addIIOReadWarningListener(
            (source, warning) -> {
              if (!isColourNote(warning)) {
                warnings.append(warning).append("; ");
              }
            });
        BufferedImage image =
            JpegLayout.of(encoded).plainCmyk() && reader.canReadRaster()
                ? plainCmyk(reader.readRaster(0, param))
                : OpaqueRgb.of(reader.read(0, param));
        if (warnings.length() > 0) {
          throw new ImageRejected("damaged image: " + warnings.substring(0, warnings.length() - 2));
        }
        return pixels(image);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageRejected("cannot decode: " + e.getMessage());
    }
  }

  /**
   * A note that colours were converted without the file's own profile (none, or one that does not
   * fit), which every CMYK JPEG without an ICC profile gets: not damage. Any other warning is.
   */
  private static boolean isColourNote(String warning) {
    String text = warning.toLowerCase(java.util.Locale.ROOT);
    return text.contains("icc")
        || text.contains("color profile")
        || text.contains("colors may look incorrect")
        || text.contains("adobe app14");
  }

  private static BufferedImage plainCmyk(Raster raster) throws ImageRejected {
    if (raster.getNumBands() != 4) {
      throw new ImageRejected("a JPEG of four components decoded to " + raster.getNumBands());
    }
    return OpaqueRgb.fromPlainCmyk(raster);
  }

  /**
   * Resizes an image decoded elsewhere (Spark's image data source, say) as {@link #decode} resizes
   * the images it decodes: the same pixel limit, the same subsampling, the same drawing.
   */
  public byte[] resize(BufferedImage image) throws ImageRejected {
    int sourceWidth = image.getWidth();
    int sourceHeight = image.getHeight();
    if ((long) sourceWidth * sourceHeight > maxPixels) {
      throw new ImageRejected(
          "has "
              + sourceWidth
              + "x"
              + sourceHeight
              + " pixels, over the limit of "
              + maxPixels
              + " ("
              + ConfigKeys.PREPARE_MAX_IMAGE_PIXELS
              + ")");
    }
    int step = subsampling(sourceWidth, sourceHeight);
    return pixels(OpaqueRgb.of(step == 1 ? image : subsample(image, step)));
  }

  /**
   * The step images are read with: every step-th pixel, leaving no less than twice the target size.
   */
  private int subsampling(int sourceWidth, int sourceHeight) {
    return Math.max(1, Math.min(sourceWidth / (2 * width), sourceHeight / (2 * height)));
  }

  /**
   * Every {@code step}-th pixel of every {@code step}-th row, from the first, as ImageIO's
   * subsampling reads them.
   */
  private static BufferedImage subsample(BufferedImage image, int step) {
    int w = (image.getWidth() + step - 1) / step;
    int h = (image.getHeight() + step - 1) / step;
    WritableRaster raster = image.getRaster().createCompatibleWritableRaster(w, h);
    int[] samples = new int[image.getRaster().getNumBands()];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setPixel(x, y, image.getRaster().getPixel(x * step, y * step, samples));
      }
    }
    return new BufferedImage(image.getColorModel(), raster, image.isAlphaPremultiplied(), null);
  }

  private byte[] pixels(BufferedImage image) {
    BufferedImage target =
        new BufferedImage(
            width,
            height,
            channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D graphics = target.createGraphics();
    try {
      graphics.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.drawImage(image, 0, 0, width, height, null);
    } finally {
      graphics.dispose();
    }
    byte[] raster = ((DataBufferByte) target.getRaster().getDataBuffer()).getData();
    if (channels == 1) {
      return raster;
    }
    // Interleaved BGR to planes of R, G and B.
    int plane = width * height;
    byte[] chw = new byte[3 * plane];
    for (int i = 0; i < plane; i++) {
      chw[i] = raster[3 * i + 2];
      chw[plane + i] = raster[3 * i + 1];
      chw[2 * plane + i] = raster[3 * i];
    }
    return chw;
  }
}
