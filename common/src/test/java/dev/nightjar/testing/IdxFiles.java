package dev.nightjar.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: valid ones, and ones broken in a chosen way. */
public final class IdxFiles {
  private IdxFiles() {}

  /**
   * IDX bytes of unsigned-byte records with the given dimensions; record i is filled with byte i.
   */
  public static byte[] bytes(int... dims) {
    try {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(buffer);
      out.writeInt(0x00000800 | dims.length);
      for (int dim : dims) {
        out.writeInt(dim);
      }
      int recordBytes = 1;
      for (int i = 1; i < dims.length; i++) {
        recordBytes *= dims[i];
      }
      for (int record = 0; record < dims[0]; record++) {
        for (int b = 0; b < recordBytes; b++) {
          out.writeByte(record);
        }
      }
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] gzip(byte[] content) {
    try {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      try (OutputStream out = new GZIPOutputStream(buffer)) {
        out.write(content);
      }
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path write(Path dir, String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    return file;
  }
}
