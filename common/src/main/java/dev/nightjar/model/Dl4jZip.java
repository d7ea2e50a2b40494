package dev.nightjar.model;

import dev.nightjar.io.InputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Opens a DL4J model zip that came from a file, which is not trusted. DL4J's own reader turns a
 * {@code preprocessor.bin} entry into objects with Java deserialization, which can run code: a zip
 * with any entry but the ones a Nightjar model has (configuration, parameters, optimizer state) is
 * refused before DL4J sees it, and so is one that inflates beyond a bound.
 */
public final class Dl4jZip {
  /** What {@code ModelSerializer.writeModel} writes for a network without a normalizer. */
  static final Set<String> ENTRIES =
      Set.of("configuration.json", "coefficients.bin", "updaterState.bin", "noParams.marker");

  /** Far above any network a zoo architecture makes (FashionCNN's parameters are about 6 MB). */
  static final long MAX_INFLATED_BYTES = 2L << 30;

  private Dl4jZip() {}

  /**
   * The network in {@code zip}.
   *
   * @param name the file, for messages
   * @param updater whether to restore the optimizer state too, to continue training
   */
  public static MultiLayerNetwork restore(byte[] zip, String name, boolean updater) {
    check(zip, name);
    try {
      return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), updater);
    } catch (IOException | RuntimeException e) {
      throw new InputException(name + ": not a readable DL4J model: " + e.getMessage(), e);
    }
  }

  /** Refuses a zip with an entry a Nightjar model does not have, or that inflates too far. */
  static void check(byte[] zip, String name) {
    long inflated = 0;
    boolean any = false;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      byte[] buffer = new byte[64 * 1024];
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        any = true;
        if (!ENTRIES.contains(entry.getName())) {
          throw new InputException(
              name
                  + ": refusing a DL4J model with the entry '"
                  + entry.getName()
                  + "'; a Nightjar model holds only "
                  + ENTRIES);
        }
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          inflated += read;
          if (inflated > MAX_INFLATED_BYTES) {
            throw new InputException(
                name
                    + ": refusing a DL4J model that inflates beyond "
                    + MAX_INFLATED_BYTES
                    + " bytes");
          }
        }
      }
    } catch (IOException e) {
      throw new InputException(name + ": not a zip: " + e.getMessage(), e);
    }
    if (!any) {
      throw new InputException(name + ": not a DL4J model: no zip entries");
    }
  }
}
