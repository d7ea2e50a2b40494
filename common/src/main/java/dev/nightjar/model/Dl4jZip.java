package dev.nightjar.model;

import dev.nightjar.io.InputException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;

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

  /** The entries ND4J reads as arrays, whose declared sizes it allocates natively unchecked. */
  static final Set<String> ARRAYS = Set.of("coefficients.bin", "updaterState.bin");

  /** ND4J's limit on an array's rank. */
  private static final int MAX_RANK = 32;

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
        long arrayBytes =
            ARRAYS.contains(entry.getName())
                ? arrayDataBytes(new DataInputStream(in), name, entry.getName())
                : -1;
        long entryBytes = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          inflated += read;
          entryBytes += read;
          if (inflated > MAX_INFLATED_BYTES) {
            throw new InputException(
                name
                    + ": refusing a DL4J model that inflates beyond "
                    + MAX_INFLATED_BYTES
                    + " bytes");
          }
        }
        if (arrayBytes >= 0 && entryBytes != arrayBytes) {
          throw new InputException(
              name
                  + ": "
                  + entry.getName()
                  + " declares "
                  + arrayBytes
                  + " bytes of values but holds "
                  + entryBytes);
        }
      }
    } catch (ArithmeticException e) {
      throw new InputException(name + ": an array's declared size overflows", e);
    } catch (EOFException e) {
      throw new InputException(name + ": an array entry is cut short", e);
    } catch (IOException e) {
      throw new InputException(name + ": not a zip: " + e.getMessage(), e);
    }
    if (!any) {
      throw new InputException(name + ": not a DL4J model: no zip entries");
    }
  }

  /**
   * Reads the headers of an array {@code Nd4j.write} wrote (its shape information, then its values'
   * header) and returns how many bytes of values follow. ND4J allocates native memory for whatever
   * the headers declare and reads the values through the shape it was given, so a damaged header
   * crashes the JVM rather than failing: the shape must be a plain contiguous one of a float type
   * whose length is the declared number of values.
   */
  static long arrayDataBytes(DataInputStream in, String name, String entry) throws IOException {
    String prefix = name + ": " + entry + ": ";
    Header shapeHeader = header(in, prefix);
    if (shapeHeader.type != DataType.LONG && shapeHeader.type != DataType.INT) {
      throw new InputException(prefix + "shape information of type " + shapeHeader.type);
    }
    if (shapeHeader.length < 4 || shapeHeader.length > 4 + 2 * MAX_RANK) {
      throw new InputException(prefix + "shape information of length " + shapeHeader.length);
    }
    long[] info = new long[(int) shapeHeader.length];
    for (int i = 0; i < info.length; i++) {
      info[i] = shapeHeader.type == DataType.LONG ? in.readLong() : in.readInt();
    }
    long rank = info[0];
    if (rank < 0 || rank > MAX_RANK || info.length != 2 * rank + 4) {
      throw new InputException(prefix + "rank " + rank + " in shape information of " + info.length);
    }
    int r = (int) rank;
    long declaredOrder = info[info.length - 1];
    if (declaredOrder != 'c' && declaredOrder != 'f') {
      throw new InputException(prefix + "unknown order " + declaredOrder);
    }
    char order = (char) declaredOrder;
    long length = 1;
    for (int d = 0; d < r; d++) {
      if (info[1 + d] < 1) {
        throw new InputException(prefix + "dimension " + info[1 + d]);
      }
      length = Math.multiplyExact(length, info[1 + d]);
    }
    long stride = 1;
    for (int k = 0; k < r; k++) {
      int d = order == 'c' ? r - 1 - k : k;
      if (info[1 + r + d] != stride) {
        throw new InputException(prefix + "not a contiguous array");
      }
      stride *= info[1 + d];
    }
    Header values = header(in, prefix);
    DataType declared;
    try {
      declared = ArrayOptionsHelper.dataType(info[2 * r + 1]);
    } catch (RuntimeException e) {
      throw new InputException(prefix + "unknown data type in its shape information", e);
    }
    if (!values.type.isFPType() || declared != values.type || values.length != length) {
      throw new InputException(
          prefix
              + length
              + " values of type "
              + declared
              + " in its shape, "
              + values.length
              + " of type "
              + values.type
              + " stored");
    }
    return Math.multiplyExact(length, values.type.width());
  }

  private record Header(long length, DataType type) {}

  /** What {@code BaseDataBuffer.readHeader} reads, refused when out of its domain. */
  private static Header header(DataInputStream in, String prefix) throws IOException {
    try {
      DataBuffer.AllocationMode mode = DataBuffer.AllocationMode.valueOf(in.readUTF());
      long length = mode.ordinal() < 3 ? in.readInt() : in.readLong();
      DataType type = DataType.valueOf(in.readUTF());
      return new Header(length, type);
    } catch (IllegalArgumentException e) {
      throw new InputException(prefix + "not an ND4J array: " + e.getMessage(), e);
    }
  }
}
