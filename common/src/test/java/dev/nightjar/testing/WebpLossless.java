package dev.nightjar.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes an image as a lossless WebP (VP8L) file, the plainest way the format allows: no
 * transforms, no colour cache, no back references, and every channel in 8-bit fixed-length codes.
 * The files are large but exact, so a reader's pixels can be checked against the source. Java has
 * no WebP writer.
 */
public final class WebpLossless {
  /** Code-length code order of the VP8L specification. */
  private static final int[] CODE_LENGTH_ORDER = {
    17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  };

  private long bits;
  private int used;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private WebpLossless() {}

  /**
   * @param argb one ARGB value per pixel, row by row
   */
  public static byte[] encode(int[] argb, int width, int height, boolean alpha) {
    WebpLossless w = new WebpLossless();
    w.write(0x2f, 8);
    w.write(width - 1, 14);
    w.write(height - 1, 14);
    w.write(alpha ? 1 : 0, 1);
    w.write(0, 3);
    w.write(0, 1); // no transform
    w.write(0, 1); // no colour cache
    w.write(0, 1); // no meta prefix codes
    w.fixedCode(true); // green and length prefixes: 256 literals of 8 bits, lengths unused
    w.fixedCode(false); // red
    w.fixedCode(false); // blue
    w.fixedCode(false); // alpha
    // Distance: a simple code of one symbol, which costs no bits.
    w.write(1, 1);
    w.write(0, 1);
    w.write(0, 1);
    w.write(0, 1);
    for (int pixel : argb) {
      w.symbol((pixel >>> 8) & 0xFF);
      w.symbol((pixel >>> 16) & 0xFF);
      w.symbol(pixel & 0xFF);
      w.symbol(alpha ? pixel >>> 24 : 0xFF);
    }
    byte[] data = w.finish();
    int chunk = data.length + (data.length & 1);
    ByteBuffer file = ByteBuffer.allocate(20 + chunk).order(ByteOrder.LITTLE_ENDIAN);
    file.put("RIFF".getBytes())
        .putInt(12 + chunk)
        .put("WEBP".getBytes())
        .put("VP8L".getBytes())
        .putInt(data.length);
    file.put(data);
    return file.array();
  }

  /** A normal prefix code giving 8 bits to each of the first 256 symbols and none to the rest. */
  private void fixedCode(boolean longerAlphabet) {
    write(0, 1); // not simple
    // Code-length code: symbols 0 and 8 of one bit each; the order puts symbol 8 at index 11.
    write(12 - 4, 4);
    for (int i = 0; i < 12; i++) {
      int symbol = CODE_LENGTH_ORDER[i];
      write(symbol == 0 || symbol == 8 ? 1 : 0, 3);
    }
    if (longerAlphabet) {
      // Read 256 code lengths and leave the length prefixes at zero.
      write(1, 1);
      write(4, 3);
      write(256 - 2, 10);
    } else {
      write(0, 1);
    }
    for (int i = 0; i < 256; i++) {
      write(1, 1); // code length 8 (symbol 8's code is 1)
    }
  }

  /**
   * A symbol of a fixed 8-bit code: its canonical code is itself, sent most significant bit first.
   */
  private void symbol(int value) {
    for (int bit = 7; bit >= 0; bit--) {
      write((value >>> bit) & 1, 1);
    }
  }

  private void write(int value, int count) {
    bits |= ((long) value & ((1L << count) - 1)) << used;
    used += count;
    while (used >= 8) {
      out.write((int) (bits & 0xFF));
      bits >>>= 8;
      used -= 8;
    }
  }

  private byte[] finish() {
    if (used > 0) {
      out.write((int) (bits & 0xFF));
      bits = 0;
      used = 0;
    }
    return out.toByteArray();
  }
}
