package dev.nightjar.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.DataConfig;
import dev.nightjar.io.InputException;
import dev.nightjar.testing.IdxFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver reads the training labels whole: their count is checked against the file before
 * anything is allocated.
 */
class IdxInputsTest {
  @TempDir Path dir;

  private DataConfig data() {
    return ConfigLoader.fromOverrides(
            "data.source=" + dir.toUri(),
            "data.train-images=train-images",
            "data.train-labels=train-labels",
            "data.test-images=test-images",
            "data.test-labels=test-labels",
            "data.class-names=[a, b, c, d, e, f, g, h, i, j]")
        .data();
  }

  /** Images and labels whose headers declare {@code declared} records, holding {@code held}. */
  private void write(int declared, int held, boolean gzip) throws Exception {
    byte[] labels = Arrays.copyOf(IdxFiles.bytes(Math.min(held, 10)), 8 + held);
    ByteBuffer.wrap(labels).putInt(4, declared);
    byte[] images = IdxFiles.bytes(0, 2, 2);
    ByteBuffer.wrap(images).putInt(4, declared);
    IdxFiles.write(dir, "train-labels", gzip ? IdxFiles.gzip(labels) : labels);
    IdxFiles.write(dir, "train-images", images);
    IdxFiles.write(dir, "test-labels", IdxFiles.bytes(3));
    IdxFiles.write(dir, "test-images", IdxFiles.bytes(3, 2, 2));
  }

  @Test
  void readsTheTrainingLabels() throws Exception {
    write(100_000, 100_000, true);
    IdxInputs inputs = IdxInputs.open(data(), new Configuration());
    assertThat(inputs.trainLabels()).hasSize(100_000).startsWith(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(inputs.train().records()).isEqualTo(100_000);
  }

  @Test
  void refusesAPlainLabelsFileDeclaringMoreThanItHolds() throws Exception {
    write(Integer.MAX_VALUE, 10, false);
    assertThatThrownBy(() -> IdxInputs.open(data(), new Configuration()))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "train-labels: its header declares 2147483647 records of 1 bytes (2147483655 bytes with the header),"
                + " but the file has 18 bytes");
  }

  @Test
  void refusesAGzippedLabelsFileDeclaringMoreThanItCouldHold() throws Exception {
    write(1 << 30, 10, true);
    assertThatThrownBy(() -> IdxInputs.open(data(), new Configuration()))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("train-labels: its header declares 1073741824 records of 1 bytes")
        .hasMessageContaining("more than a gzip file of");
  }

  @Test
  void aGzippedLabelsFileCutShortWithinItsBoundFailsAsTruncated() throws Exception {
    write(30_000, 10, true);
    assertThatThrownBy(() -> IdxInputs.open(data(), new Configuration()))
        .isInstanceOf(InputException.class)
        .hasMessage("train-labels: truncated at record 10 of the 30000 its header declares");
  }
}
