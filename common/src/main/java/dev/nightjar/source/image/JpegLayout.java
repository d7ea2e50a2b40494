package dev.nightjar.source.image;

/**
 * What a JPEG's markers say about its channels, read from the bytes before any decoder sees them:
 * the number of components in its frame and whether it carries Adobe's APP14 marker.
 *
 * @param components the frame's components, 0 when the bytes are no JPEG or its frame was not found
 */
record JpegLayout(int components, boolean adobe) {
  private static final JpegLayout UNKNOWN = new JpegLayout(0, false);

  /**
   * CMYK stored as it is, not inverted: four components and no Adobe marker, as libjpeg and Pillow
   * read it. TwelveMonkeys inverts every CMYK JPEG, Adobe's convention, which turns these into
   * their negative.
   */
  boolean plainCmyk() {
    return components == 4 && !adobe;
  }

  static JpegLayout of(byte[] bytes) {
    if (bytes.length < 4 || (bytes[0] & 0xFF) != 0xFF || (bytes[1] & 0xFF) != 0xD8) {
      return UNKNOWN;
    }
    boolean adobe = false;
    int at = 2;
    while (at + 4 <= bytes.length) {
      if ((bytes[at] & 0xFF) != 0xFF) {
        return UNKNOWN;
      }
      int marker = bytes[at + 1] & 0xFF;
      if (marker == 0xFF) {
        at++;
        continue;
      }
      int length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
      if (length < 2 || at + 2 + length > bytes.length || marker == 0xDA) {
        return UNKNOWN;
      }
      if (marker == 0xEE
          && length >= 7
          && new String(bytes, at + 4, 5, java.nio.charset.StandardCharsets.ISO_8859_1)
              .equals("Adobe")) {
        adobe = true;
      }
      if (isStartOfFrame(marker) && length >= 8) {
        return new JpegLayout(bytes[at + 9] & 0xFF, adobe);
      }
      at += 2 + length;
    }
    return UNKNOWN;
  }

  /** SOF0 to SOF15, without DHT (C4), JPG (C8) and DAC (CC). */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }
}
