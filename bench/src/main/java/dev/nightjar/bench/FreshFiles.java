package dev.nightjar.bench;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Freshly generated benchmark inputs. */
final class FreshFiles {
  private static final Logger LOG = LoggerFactory.getLogger(FreshFiles.class);

  private FreshFiles() {}

  /**
   * Writes them through to disk, so that no measurement pays for the writeback of files the
   * benchmark has just generated.
   */
  static void settle() throws IOException, InterruptedException {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (IOException e) {
      LOG.info("sync not run ({}); the warm-up round alone settles the files", e.getMessage());
    }
  }
}
