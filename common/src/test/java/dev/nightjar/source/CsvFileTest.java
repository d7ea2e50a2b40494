package dev.nightjar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.io.InputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileTest {
  private static final List<String> HEADER = List.of("label", "note");

  private static List<CsvRow> rows(String text, int maxChars) {
    Iterator<CsvRow> rows =
        CsvFile.rows(
            "t.csv",
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            HEADER,
            maxChars);
    List<CsvRow> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    return all;
  }

  private static List<String> fields(CsvRow row) {
    assertThat(row.problem()).as("problem of %s", row.location()).isNull();
    return List.of(row.fields());
  }

  @Test
  void readsQuotedCommasQuotesAndLineBreaksWithBomAndCrlf() {
    List<CsvRow> rows =
        rows(
            "\uFEFFlabel,\"note\"\r\n"
                + "1,\"a, b\"\r\n"
                + "2,\"say \"\"hi\"\"\"\r\n"
                + "3,\"one\r\ntwo\nthree\"\r\n"
                + "\r\n"
                + "#4,\r"
                + "5,last",
            100);
    assertThat(rows).hasSize(5);
    assertThat(fields(rows.get(0))).containsExactly("1", "a, b");
    assertThat(fields(rows.get(1))).containsExactly("2", "say \"hi\"");
    assertThat(fields(rows.get(2))).containsExactly("3", "one\r\ntwo\nthree");
    assertThat(fields(rows.get(3))).containsExactly("#4", "");
    assertThat(fields(rows.get(4))).containsExactly("5", "last");
    assertThat(rows)
        .extracting(CsvRow::location)
        .containsExactly(
            "record 1 (line 2)",
            "record 2 (line 3)",
            "record 3 (line 4)",
            "record 4 (line 8)",
            "record 5 (line 9)");
  }

  @Test
  void refusesARecordOverTheLimitAndReadsOn() {
    String huge = "x".repeat(10_000);
    List<CsvRow> rows = rows("label,note\n1,ok\n2,\"" + huge + "\n" + huge + "\"\n3,after\n", 50);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1).fields()).isNull();
    assertThat(rows.get(1).problem())
        .isEqualTo("is longer than the limit of 50 characters (nightjar.prepare.max-record-chars)");
    assertThat(rows.get(1).location()).isEqualTo("record 2 (line 3)");
    assertThat(fields(rows.get(2))).containsExactly("3", "after");
    assertThat(rows.get(2).location()).isEqualTo("record 3 (line 5)");
  }

  @Test
  void refusesAnUnclosedQuoteAndTooManyFields() {
    List<CsvRow> rows = rows("label,note\n1,a,b,c,d\n2,\"open\n3,x\n", 100);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).problem()).isEqualTo("has more than 3 fields, the header has 2");
    assertThat(rows.get(1).problem()).isEqualTo("has a quote that is never closed");
    assertThat(rows.get(1).location()).isEqualTo("record 2 (line 3)");
  }

  @Test
  void refusesAFileWithAnotherHeaderAsOneRowForAllItsRecords() {
    List<CsvRow> rows = rows("note,label\na,1\nb,2\nc,3\n", 100);
    assertThat(rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.problem()).startsWith("the header differs");
              assertThat(row.records()).isEqualTo(3);
              assertThat(row.location()).isEqualTo("line 1");
            });
  }

  @Test
  void readsTheHeaderOnTheDriverAndFailsOnOneOverTheLimitNamingTheFile(@TempDir Path dir)
      throws Exception {
    Path ok = dir.resolve("ok.csv");
    Files.writeString(ok, "\uFEFF\"label\",\" a,b \"\r\n1,2\r\n");
    assertThat(CsvFile.header(new org.apache.hadoop.fs.Path(ok.toUri()), new Configuration(), 100))
        .containsExactly("label", "a,b");
    Path wide = dir.resolve("wide.csv");
    Files.writeString(wide, "label," + "c,".repeat(5_000) + "\n1\n");
    assertThatThrownBy(
            () ->
                CsvFile.header(
                    new org.apache.hadoop.fs.Path(wide.toUri()), new Configuration(), 1000))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("wide.csv")
        .hasMessageContaining("the header (line 1) is longer than the limit of 1000 characters");
  }
}
