package dev.nightjar.source.image;

import javax.imageio.ImageIO;

/**
 * ImageIO as the decoder needs it, set once per JVM, on the driver and on every executor: no disk
 * cache (ImageIO otherwise spools each stream it cannot seek to a temporary file), and the plugins
 * of the classpath registered. The job jar's plugins (TwelveMonkeys: CMYK and YCCK JPEG, TIFF,
 * WebP) are found through the class loader of the thread that first touches ImageIO; on an executor
 * that may be a thread that cannot see the job jar, so they are scanned for again here, from the
 * task thread that decodes first.
 */
final class ImageIoSetup {
  static {
    ImageIO.setUseCache(false);
    ImageIO.scanForPlugins();
  }

  private ImageIoSetup() {}

  /** Runs the setup, once per JVM, from the calling thread. */
  static void ensure() {
    // The class's initialization does the work, exactly once.
  }
}
