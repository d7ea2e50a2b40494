package dev.nightjar.bench;

import dev.nightjar.data.PixelScaling;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * What a user of DataVec's ImageRecordReader gets, in a plain Java loop: read each file, decode it
 * whole with javax.imageio, resize it to 28×28 grey, and scale it into a minibatch array.
 */
final class PlainLoop {
  private static final int BATCH = 100;
  private static final int PIXELS = 28 * 28;

  private PlainLoop() {}

  /** One thread; each file read whole into memory, then decoded. */
  static long singleThread(List<Path> files) throws IOException {
    float[] batch = new float[BATCH * PIXELS];
    long loaded = 0;
    for (Path file : files) {
      BufferedImage image =
          ImageIO.read(new java.io.ByteArrayInputStream(Files.readAllBytes(file)));
      toBatch(image, batch, (int) (loaded % BATCH));
      loaded++;
    }
    return loaded;
  }

  /**
   * {@code threads} threads, each taking the next file in turn and decoding it with {@code
   * ImageIO.read(File)}, each into its own minibatch array.
   */
  static long threads(List<Path> files, int threads) throws IOException {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  float[] batch = new float[BATCH * PIXELS];
                  long loaded = 0;
                  for (int i = next.getAndIncrement();
                      i < files.size();
                      i = next.getAndIncrement()) {
                    BufferedImage image = ImageIO.read(files.get(i).toFile());
                    if (image == null) {
                      throw new IOException("not an image: " + files.get(i));
                    }
                    toBatch(image, batch, (int) (loaded % BATCH));
                    loaded++;
                  }
                  return loaded;
                }));
      }
      long loaded = 0;
      for (Future<Long> f : done) {
        loaded += f.get();
      }
      return loaded;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void toBatch(BufferedImage image, float[] batch, int slot) {
    BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = grey.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, 28, 28, null);
    g.dispose();
    PixelScaling.toUnitRange(
        ((DataBufferByte) grey.getRaster().getDataBuffer()).getData(), batch, slot * PIXELS);
  }
}
