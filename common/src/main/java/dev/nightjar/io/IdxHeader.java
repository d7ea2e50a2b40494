package dev.nightjar.io;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The header of an IDX file: unsigned bytes, a record count and the shape of one record.
 *
 * @param file the file's name, for messages
 * @param dimensions the declared sizes; the first is the record count
 */
public record IdxHeader(String file, int[] dimensions) implements Serializable {
  /** The IDX type code of unsigned bytes, the only type Fashion-MNIST and MNIST use. */
  private static final int UNSIGNED_BYTE = 0x08;

  /** A record larger than this is a lie in the header, not an image. */
  private static final long MAX_RECORD_BYTES = 64L * 1024 * 1024;

  public IdxHeader {
    dimensions = dimensions.clone();
  }

  /** Reads and checks a header, leaving the stream at the first record. */
  public static IdxHeader read(InputStream in, String file) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new InputException(file + ": not an IDX file (shorter than its 4-byte magic number)");
    }
    int type = (magic >>> 8) & 0xFF;
    int rank = magic & 0xFF;
    if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > 4) {
      throw new InputException(
          String.format(
              "%s: wrong IDX magic number 0x%08X (expected 0x000008NN: unsigned bytes, 1 to 4 dimensions)",
              file, magic));
    }
    int[] dims = new int[rank];
    long recordBytes = 1;
    for (int i = 0; i < rank; i++) {
      try {
        dims[i] = data.readInt();
      } catch (EOFException e) {
        throw new InputException(
            file + ": truncated IDX header (dimension " + i + " of " + rank + " missing)");
      }
      if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
        throw new InputException(file + ": IDX dimension " + i + " is " + dims[i]);
      }
      if (i > 0) {
        recordBytes *= dims[i];
        if (recordBytes > MAX_RECORD_BYTES) {
          throw new InputException(
              file
                  + ": IDX record of "
                  + Arrays.toString(dims)
                  + " declares more than "
                  + MAX_RECORD_BYTES
                  + " bytes");
        }
      }
    }
    return new IdxHeader(file, dims);
  }

  public int recordCount() {
    return dimensions[0];
  }

  /** Bytes in one record: 1 for a label, height × width for an image. */
  public int recordBytes() {
    int bytes = 1;
    for (int i = 1; i < dimensions.length; i++) {
      bytes *= dimensions[i];
    }
    return bytes;
  }

  /** Bytes before the first record. */
  public int headerBytes() {
    return 4 + 4 * dimensions.length;
  }

  @Override
  public int[] dimensions() {
    return dimensions.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxHeader other
        && file.equals(other.file)
        && Arrays.equals(dimensions, other.dimensions);
  }

  @Override
  public int hashCode() {
    return 31 * file.hashCode() + Arrays.hashCode(dimensions);
  }

  @Override
  public String toString() {
    return file + Arrays.toString(dimensions);
  }
}
