package dev.nightjar.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.DataConfig;
import dev.nightjar.io.IdxReader;
import dev.nightjar.io.InputException;
import dev.nightjar.source.IdxInputs;
import dev.nightjar.source.image.ImageDecoder;
import dev.nightjar.source.image.ImageRejected;
import dev.nightjar.testing.IdxFiles;
import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.WebpLossless;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.hadoop.conf.Configuration;

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

  /**
   * The driver reads the training labels whole, before any task: a hostile labels file (any header,
   * lying or not, plain or gzipped, any length) gives the labels or fails as an InputException
   * naming it, and never makes the driver allocate what its header claims.
   */
  @Property(tries = 400)
  void idxLabelsAreReadOrRefusedOnTheDriver(@ForAll("labelFiles") byte[] labels)
      throws IOException {
    Path dir = labelsDir();
    Files.write(dir.resolve("train-labels"), labels);
    // Images that agree with whatever count the labels declare, so the labels are read.
    byte[] plain = isGzip(labels) ? gunzipHead(labels) : labels;
    int declared = plain.length >= 8 ? ByteBuffer.wrap(plain).getInt(4) : 0;
    Files.write(
        dir.resolve("train-images"),
        ByteBuffer.allocate(16).putInt(0x0803).putInt(declared).putInt(1).putInt(1).array());
    try {
      IdxInputs inputs = IdxInputs.open(LABELS_DATA, new Configuration());
      assertThat(inputs.trainLabels()).hasSize(inputs.train().records());
      assertThat((long) inputs.train().records()).isLessThanOrEqualTo(labels.length * 1032L);
    } catch (InputException e) {
      // The images file repeats the labels' count, so a count no file may declare names either.
      assertThat(e.getMessage()).containsAnyOf("train-labels:", "train-images:");
    }
  }

  /**
   * Valid images of every format read, with bytes flipped, cut short, or a huge size written into
   * the header.
   */
  @Provide
  Arbitrary<byte[]> damagedImages() {
    Arbitrary<byte[]> valid =
        Arbitraries.of("png", "jpg", "bmp", "gif", "tiff", "webp").map(DecoderFuzzTest::image);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 400);
    Arbitrary<Byte> value = Arbitraries.bytes();
    Arbitrary<Integer> keep = Arbitraries.integers().between(0, 100);
    return Combinators.combine(valid, position, value, keep)
        .as(
            (image, at, b, percent) -> {
              byte[] damaged = image.clone();
              damaged[Math.min(at, damaged.length - 1)] = b;
              // PNG width at 16, JPEG SOF dimensions somewhere early: a big value there is a
              // claimed bomb.
              if (at % 7 == 0 && damaged.length > 24) {
                ByteBuffer.wrap(damaged, 16, 8).putInt(0x7fff_ffff).putInt(0x7fff_ffff);
              }
              return java.util.Arrays.copyOf(
                  damaged, Math.max(1, damaged.length * Math.max(percent, 5) / 100));
            });
  }

  /** IDX files with any magic, rank and dimensions (often lying), plain or gzipped, any length. */
  @Provide
  Arbitrary<byte[]> idxFiles() {
    Arbitrary<Integer> type = Arbitraries.of(0x08, 0x09, 0x0B, 0x0D, 0x0E, 0x00, 0xFF);
    Arbitrary<Integer> rank = Arbitraries.integers().between(0, 5);
    Arbitrary<Integer> dimension =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 40),
            Arbitraries.of(Integer.MAX_VALUE, -1, 1 << 20, 65_536));
    Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    Arbitrary<Boolean> gzip = Arbitraries.of(true, false);
    return Combinators.combine(type, rank, dimension.list().ofSize(5), payload, gzip)
        .as(
            (t, r, dims, data, zip) -> {
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

  private static Path labelsDir;
  private static DataConfig LABELS_DATA;

  /** A folder with valid test files; each try writes its own training files into it. */
  private static synchronized Path labelsDir() throws IOException {
    if (labelsDir == null) {
      labelsDir = Files.createTempDirectory("idx-fuzz");
      labelsDir.toFile().deleteOnExit();
      Files.write(labelsDir.resolve("test-labels"), IdxFiles.bytes(3));
      Files.write(labelsDir.resolve("test-images"), IdxFiles.bytes(3, 1, 1));
      LABELS_DATA =
          ConfigLoader.fromOverrides(
                  "data.source=" + labelsDir.toUri(),
                  "data.train-images=train-images",
                  "data.train-labels=train-labels",
                  "data.test-images=test-images",
                  "data.test-labels=test-labels",
                  "data.class-names=[a, b, c, d, e, f, g, h, i, j]")
              .data();
    }
    return labelsDir;
  }

  private static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
  }

  /** The first bytes a gzip stream holds, as far as it can be read. */
  private static byte[] gunzipHead(byte[] gzip) {
    byte[] head = new byte[8];
    int read = 0;
    try (java.util.zip.GZIPInputStream in =
        new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gzip))) {
      int n;
      while (read < head.length && (n = in.read(head, read, head.length - read)) > 0) {
        read += n;
      }
    } catch (IOException e) {
      // As far as it goes.
    }
    return java.util.Arrays.copyOf(head, read);
  }

  /**
   * Labels files, mostly with a labels header (so the driver goes on to read them) declaring any
   * count, true or not, over up to 3000 bytes of labels; plain or gzipped, often cut short
   * anywhere, gzip header included. Sometimes any other IDX file.
   */
  @Provide
  Arbitrary<byte[]> labelFiles() {
    Arbitrary<Integer> count =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 3000),
            Arbitraries.of(
                Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 20, 1 << 30, 65_536, 3_000_000));
    Arbitrary<byte[]> labels =
        Combinators.combine(count, Arbitraries.integers().between(0, 3000))
            .as(
                (declared, held) -> {
                  byte[] file = new byte[8 + held];
                  ByteBuffer.wrap(file).putInt(0x00000801).putInt(declared);
                  for (int i = 0; i < held; i++) {
                    file[8 + i] = (byte) (i % 13);
                  }
                  return file;
                });
    Arbitrary<byte[]> any =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, labels), net.jqwik.api.Tuple.of(1, idxFiles()));
    return Combinators.combine(
            any,
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 100),
            Arbitraries.of(true, false))
        .as(
            (file, zip, percent, cut) -> {
              byte[] stored = zip ? gzip(file) : file;
              return cut ? java.util.Arrays.copyOf(stored, stored.length * percent / 100) : stored;
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
