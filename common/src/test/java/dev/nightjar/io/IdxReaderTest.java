package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.testing.IdxFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  @Test
  void readsGzippedImagesThroughHadoop() throws IOException {
    Path file = IdxFiles.write(dir, "images.gz", IdxFiles.gzip(IdxFiles.bytes(5, 3, 2)));
    try (IdxReader reader = IdxReader.open(file.toUri().toString(), new Configuration())) {
      assertThat(reader.header().recordCount()).isEqualTo(5);
      assertThat(reader.header().recordBytes()).isEqualTo(6);
      byte[] record = new byte[6];
      reader.readRecord(record);
      assertThat(record).containsOnly(0);
      reader.skipRecords(2);
      reader.readRecord(record);
      assertThat(record).containsOnly(3);
      assertThat(reader.position()).isEqualTo(4);
    }
  }

  @Test
  void readsPlainLabels() throws IOException {
    try (IdxReader reader = IdxReader.open(new ByteArrayInputStream(IdxFiles.bytes(3)), "labels")) {
      byte[] one = new byte[1];
      reader.skipRecords(2);
      reader.readRecord(one);
      assertThat(one[0]).isEqualTo((byte) 2);
    }
  }

  @Test
  void rejectsWrongMagicNamingTheFile() {
    byte[] content = IdxFiles.bytes(2, 2, 2);
    content[2] = 0x0D; // float data, which Nightjar does not read
    assertThatThrownBy(() -> IdxReader.open(new ByteArrayInputStream(content), "bad-images.idx"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("bad-images.idx")
        .hasMessageContaining("wrong IDX magic number 0x00000D03");
  }

  @Test
  void rejectsTruncatedHeader() {
    byte[] content = Arrays.copyOf(IdxFiles.bytes(2, 2, 2), 9);
    assertThatThrownBy(() -> IdxReader.open(new ByteArrayInputStream(content), "short.idx"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("short.idx: truncated IDX header");
  }

  @Test
  void reportsTheRecordWhereDataEnds() throws IOException {
    byte[] full = IdxFiles.gzip(Arrays.copyOf(IdxFiles.bytes(10, 4, 4), 16 + 16 * 6 + 5));
    try (IdxReader reader = IdxReader.open(new ByteArrayInputStream(full), "cut.gz")) {
      byte[] record = new byte[16];
      for (int i = 0; i < 6; i++) {
        reader.readRecord(record);
      }
      assertThatThrownBy(() -> reader.readRecord(record))
          .isInstanceOf(InputException.class)
          .hasMessage("cut.gz: truncated at record 6 of the 10 its header declares");
    }
  }

  @Test
  void reportsTruncationWhileSkipping() throws IOException {
    byte[] content = Arrays.copyOf(IdxFiles.bytes(10, 4, 4), 16 + 16 * 3);
    try (IdxReader reader = IdxReader.open(new ByteArrayInputStream(content), "cut.idx")) {
      assertThatThrownBy(() -> reader.skipRecords(8))
          .isInstanceOf(InputException.class)
          .hasMessageContaining("cut.idx: truncated at record");
    }
  }

  @Test
  void rejectsCorruptGzip() throws IOException {
    byte[] gz = IdxFiles.gzip(IdxFiles.bytes(50, 8, 8));
    for (int i = 40; i < gz.length - 20; i++) {
      gz[i] = (byte) 0xA5;
    }
    try (IdxReader reader = IdxReader.open(new ByteArrayInputStream(gz), "corrupt.gz")) {
      byte[] record = new byte[64];
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 50; i++) {
                  reader.readRecord(record);
                }
              })
          .isInstanceOf(InputException.class)
          .hasMessageContaining("corrupt.gz");
    } catch (InputException e) {
      // The damage may already show while the header is read.
      assertThat(e).hasMessageContaining("corrupt.gz");
    }
  }

  @Test
  void rejectsHugeDeclaredRecords() {
    byte[] content = IdxFiles.bytes(1, 1, 1);
    // Declare 1 record of 100000 x 100000 bytes.
    java.nio.ByteBuffer.wrap(content).putInt(8, 100_000).putInt(12, 100_000);
    assertThatThrownBy(() -> IdxReader.open(new ByteArrayInputStream(content), "huge.idx"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("huge.idx")
        .hasMessageContaining("declares more than");
  }
}
