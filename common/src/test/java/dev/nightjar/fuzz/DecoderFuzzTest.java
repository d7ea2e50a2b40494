package dev.nightjar.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.io.IdxReader;
import dev.nightjar.io.InputException;
import dev.nightjar.source.image.ImageDecoder;
import dev.nightjar.source.image.ImageRejected;
import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.WebpLossless;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Hostile bytes for every decoder: whatever the input, a decoder returns a well-formed result or
 * refuses it with its own exception and a message; it never throws anything else, runs out of
 * memory or reads past what the input holds.
 */
class DecoderFuzzTest {
  private static final ImageDecoder DECODER = new ImageDecoder(1, 28, 28, 4_000_000, 1 << 20);

  @Property(tries = 300)
  void imageDecoderRefusesGarbage(@ForAll @Size(max = 4096) byte[] bytes) {
    assertDecodesOrRefuses(bytes);
  }

  @Property(tries = 300)
  void imageDecoderSurvivesDamagedImages(@ForAll("damagedImages") byte[] bytes) {
    assertDecodesOrRefuses(bytes);
  }

  @Property(tries = 500)
  void idxReaderReadsOrRefuses(@ForAll("idxFiles") byte[] file) {
    try (IdxReader reader = IdxReader.open(new ByteArrayInputStream(file), "fuzz.idx")) {
      long records = reader.header().recordCount();
      // The header check caps a record's size, so a lying header cannot make this allocation huge;
      // one that lies about the record count is caught as a truncation while reading.
      byte[] buffer = new byte[reader.header().recordBytes()];
      for (long i = 0; i < records; i++) {
        reader.readRecord(buffer);
      }
    } catch (InputException e) {
      assertThat(e.getMessage()).contains("fuzz.idx");
    } catch (IOException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /** Valid images of every format read, with bytes flipped, cut short, or a huge size written into the header. */
  @Provide
  Arbitrary<byte[]> damagedImages() {
    Arbitrary<byte[]> valid = Arbitraries.of("png", "jpg", "bmp", "gif", "tiff", "webp").map(DecoderFuzzTest::image);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 400);
    Arbitrary<Byte> value = Arbitraries.bytes();
    Arbitrary<Integer> keep = Arbitraries.integers().between(0, 100);
    return Combinators.combine(valid, position, value, keep).as((image, at, b, percent) -> {
      byte[] damaged = image.clone();
      damaged[Math.min(at, damaged.length - 1)] = b;
      // PNG width at 16, JPEG SOF dimensions somewhere early: a big value there is a claimed bomb.
      if (at % 7 == 0 && damaged.length > 24) {
        ByteBuffer.wrap(damaged, 16, 8).putInt(0x7fff_ffff).putInt(0x7fff_ffff);
      }
      return java.util.Arrays.copyOf(damaged, Math.max(1, damaged.length * Math.max(percent, 5) / 100));
    });
  }

  /** IDX files with any magic, rank and dimensions (often lying), plain or gzipped, any length. */
  @Provide
  Arbitrary<byte[]> idxFiles() {
    Arbitrary<Integer> type = Arbitraries.of(0x08, 0x09, 0x0B, 0x0D, 0x0E, 0x00, 0xFF);
    Arbitrary<Integer> rank = Arbitraries.integers().between(0, 5);
    Arbitrary<Integer> dimension = Arbitraries.oneOf(Arbitraries.integers().between(0, 40),
        Arbitraries.of(Integer.MAX_VALUE, -1, 1 << 20, 65_536));
    Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    Arbitrary<Boolean> gzip = Arbitraries.of(true, false);
    return Combinators.combine(type, rank, dimension.list().ofSize(5), payload, gzip).as((t, r, dims, data, zip) -> {
      ByteBuffer header = ByteBuffer.allocate(4 + 4 * r);
      header.put((byte) 0).put((byte) 0).put(t.byteValue()).put(r.byteValue());
      for (int i = 0; i < r; i++) {
        header.putInt(dims.get(i));
      }
      byte[] file = new byte[header.capacity() + data.length];
      System.arraycopy(header.array(), 0, file, 0, header.capacity());
      System.arraycopy(data, 0, file, header.capacity(), data.length);
      return zip ? gzip(file) : file;
    });
  }

  private static void assertDecodesOrRefuses(byte[] bytes) {
    try {
      byte[] pixels = DECODER.decode(bytes);
      assertThat(pixels).hasSize(28 * 28);
    } catch (ImageRejected e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static byte[] image(String format) {
    byte[] pixels = new byte[784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    try {
      if (format.equals("webp")) {
        int[] argb = new int[32 * 32];
        for (int i = 0; i < argb.length; i++) {
          int v = pixels[(i / 32 * 28 / 32) * 28 + (i % 32) * 28 / 32] & 0xFF;
          argb[i] = 0xFF000000 | v << 16 | v << 8 | v;
        }
        return WebpLossless.encode(argb, 32, 32, false);
      }
      return ImageFolders.encode(pixels, 32, format);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
        zip.write(bytes);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
