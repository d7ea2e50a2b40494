package dev.nightjar.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.ConfigException;
import dev.nightjar.data.Decoded;
import dev.nightjar.io.InputException;
import dev.nightjar.source.image.ImageDecoder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.hadoop.conf.Configuration;

/**
 * Hostile CSV for the table reader, as the fuzz tests of {@code dev.nightjar.fuzz} do for the
 * decoders: whatever the text, every record comes out as an example or as a rejection with its
 * location and reason, no record is kept beyond the limit, and the driver's header read either
 * gives the columns or fails with an InputException or ConfigException naming the file.
 */
class CsvFuzzTest {
  private static final int MAX_CHARS = 120;
  private static final List<String> HEADER = List.of("label", "p0", "p1", "p2", "p3");
  private static final TableRowDecoder PIXELS =
      new TableRowDecoder(Map.of("0", 0, "1", 1), null, 4, 0.1, 0.1, 7, false);
  private static final List<String> IMAGE_HEADER = List.of("label", "png");
  private static final TableRowDecoder IMAGES =
      new TableRowDecoder(
          Map.of("0", 0, "1", 1), new ImageDecoder(1, 4, 4, 10_000, 4_096), 16, 0.1, 0.1, 7, false);

  @Property(tries = 500)
  void everyPixelRecordIsAnExampleOrARejection(@ForAll("csvText") String text) {
    assertEveryRecordDecodesOrIsRejected(
        ("label,p0,p1,p2,p3\n" + text).getBytes(StandardCharsets.UTF_8), HEADER, PIXELS, -1);
  }

  @Property(tries = 300)
  void everyImageRecordIsAnExampleOrARejection(@ForAll("csvText") String text) {
    assertEveryRecordDecodesOrIsRejected(
        ("label,png\r\n" + text).getBytes(StandardCharsets.UTF_8), IMAGE_HEADER, IMAGES, 1);
  }

  @Property(tries = 300)
  void anyBytesAfterTheHeaderAreReadOrRejected(@ForAll @Size(max = 2000) byte[] bytes) {
    byte[] file = new byte[18 + bytes.length];
    System.arraycopy("label,p0,p1,p2,p3\n".getBytes(StandardCharsets.US_ASCII), 0, file, 0, 18);
    System.arraycopy(bytes, 0, file, 18, bytes.length);
    assertEveryRecordDecodesOrIsRejected(file, HEADER, PIXELS, -1);
  }

  @Property(tries = 200)
  void theDriverReadsAHeaderOrFailsNamingTheFile(@ForAll("csvText") String text) throws Exception {
    Path file = Files.createTempFile("fuzz", ".csv");
    try {
      Files.writeString(file, text);
      List<String> header =
          CsvFile.header(
              new org.apache.hadoop.fs.Path(file.toUri()), new Configuration(), MAX_CHARS);
      assertThat(String.join(",", header).length()).isLessThanOrEqualTo(MAX_CHARS);
    } catch (InputException | ConfigException e) {
      assertThat(e.getMessage()).contains(file.getFileName().toString());
    } finally {
      Files.delete(file);
    }
  }

  /**
   * Text made of what breaks CSV: quotes, commas, line ends of every kind, marks, and runs over the
   * limit.
   */
  @Provide
  Arbitrary<String> csvText() {
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.of("0", "1", "255", "7.0", "-3", "abc", "", " ")),
            net.jqwik.api.Tuple.of(6, Arbitraries.of(",", ",", "\"", "\"\"", "\n", "\r\n", "\r")),
            net.jqwik.api.Tuple.of(
                2, Arbitraries.of("\uFEFF", "#", "\t", "é", "\u0000", "iVBORw0KGgo=", "/9j/4AAQ")),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(100, 400).map("x"::repeat)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(50, 200).map(",1"::repeat)));
    return piece.list().ofMaxSize(80).map(pieces -> String.join("", pieces));
  }

  private static void assertEveryRecordDecodesOrIsRejected(
      byte[] file, List<String> header, TableRowDecoder decoder, int imageIndex) {
    Iterator<CsvRow> rows =
        CsvFile.rows("fuzz.csv", new ByteArrayInputStream(file), header, MAX_CHARS);
    int count = 0;
    while (rows.hasNext()) {
      CsvRow row = rows.next();
      assertThat(row.location()).isNotBlank();
      assertThat(row.fields() == null).isEqualTo(row.problem() != null);
      if (row.fields() != null) {
        assertThat(String.join(",", row.fields()).length()).isLessThanOrEqualTo(MAX_CHARS);
        assertThat(row.fields().length).isLessThanOrEqualTo(header.size() + 1);
      }
      Decoded decoded = TableSource.csvRow(row, header.size(), 0, imageIndex, decoder);
      if (!decoded.isExample()) {
        assertThat(decoded.rejection().reason()).isNotBlank();
        assertThat(decoded.rejection().records()).isPositive();
        assertThat(decoded.rejection().source()).isEqualTo("fuzz.csv");
      }
      count++;
    }
    assertThat(count).isLessThanOrEqualTo(file.length);
  }
}
