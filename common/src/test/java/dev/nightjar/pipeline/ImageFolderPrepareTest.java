package dev.nightjar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.Split;
import dev.nightjar.io.InputException;
import dev.nightjar.prepare.PrepareResult;
import dev.nightjar.testing.ImageFolders;
import dev.nightjar.testing.Published;
import dev.nightjar.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Preparing a folder of JPEG images with skewed classes and a few bad files. */
@ExtendWith(SparkTestSession.class)
class ImageFolderPrepareTest {
  @TempDir static Path images;
  private static int written;

  @BeforeAll
  static void writeImages() throws Exception {
    // Skewed: classes 0-1 keep every image, the others one in four.
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    written =
        ImageFolders.write(
            images, 1200, 64, "jpg", label -> label < 2 || seen.incrementAndGet() % 4 == 0);
    Files.write(images.resolve("Coat/empty.jpg"), new byte[0]);
    Files.writeString(images.resolve("Bag/notes.png"), "not an image at all");
    byte[] jpeg = Files.readAllBytes(Files.list(images.resolve("Dress")).findFirst().orElseThrow());
    Files.write(images.resolve("Dress/truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));
    Files.writeString(images.resolve("Dress/README.txt"), "skipped: not an image file");
  }

  private NightjarConfig config(Path output, String... extra) {
    List<String> overrides =
        new java.util.ArrayList<>(
            List.of(
                "output-root=" + output.toUri(),
                "run-date=2026-02-01",
                "run-id=images",
                "data.format=images",
                "data.source=" + images.toUri(),
                "data.test-fraction=0.1",
                "prepare.partitions=3",
                "prepare.shard-size=50",
                "prepare.image.channels=1",
                "prepare.augment.enabled=true"));
    overrides.addAll(List.of(extra));
    return ConfigLoader.fromOverrides(overrides.toArray(String[]::new));
  }

  @Test
  void badFilesAreQuarantinedWithTheirReasonAndTheRestIsPrepared(
      SparkSession spark, @TempDir Path output) {
    PrepareResult result = Nightjar.prepare(spark, config(output)).execute();
    DataManifest manifest = result.manifest();
    assertThat(result.quarantined()).isEqualTo(3);
    assertThat(result.examples()).isEqualTo(written);
    assertThat(manifest.classNames()).isEqualTo(ImageFolders.CLASSES.stream().sorted().toList());
    assertThat(manifest.imageShape()).containsExactly(1, 28, 28);
    assertThat(manifest.count(Split.TEST))
        .isBetween((long) (written * 0.08), (long) (written * 0.12));
    // Every partition saw every class, skewed as they are.
    for (int partition = 0; partition < 3; partition++) {
      String prefix = String.format("shards/train/part-%05d-", partition);
      long[] labels = new long[10];
      manifest.shards(Split.TRAIN).stream()
          .filter(s -> s.path().startsWith(prefix))
          .forEach(
              s -> {
                for (int c = 0; c < 10; c++) labels[c] += s.labelCounts()[c];
              });
      assertThat(labels).as("partition %d", partition).doesNotContain(0L);
    }
    List<Row> quarantine =
        Published.table(spark, output, "quarantine").orderBy("source").collectAsList();
    assertThat(quarantine).hasSize(3);
    assertThat(quarantine.get(0).getString(quarantine.get(0).fieldIndex("source")))
        .endsWith("Bag/notes.png");
    assertThat(quarantine.get(0).getString(quarantine.get(0).fieldIndex("reason")))
        .contains("not a JPEG, PNG");
    assertThat(quarantine.get(1).getString(quarantine.get(1).fieldIndex("reason")))
        .isEqualTo("empty file");
    assertThat(quarantine.get(2).getString(quarantine.get(2).fieldIndex("source")))
        .endsWith("Dress/truncated.jpg");

    // Seeded augmentation: a rerun writes identical shards.
    Path rerun = output.resolveSibling(output.getFileName() + "-rerun");
    Nightjar.prepare(spark, config(rerun)).execute();
    String shard = "prepared/run_date=2026-02-01/" + manifest.shards(Split.TRAIN).get(0).path();
    assertThat(Published.path(rerun, shard)).hasSameBinaryContentAs(Published.path(output, shard));
  }

  @Test
  void tooManyBadFilesFailTheStageAndPublishNothing(SparkSession spark, @TempDir Path output) {
    assertThatThrownBy(
            () ->
                Nightjar.prepare(spark, config(output, "prepare.max-quarantine-fraction=0.001"))
                    .execute())
        .isInstanceOf(InputException.class)
        .hasMessageContaining("3 of " + (written + 3) + " records")
        .hasMessageContaining("nightjar.prepare.max-quarantine-fraction");
    // The stage's outputs are one unit: neither the shards nor the quarantine are published.
    assertThat(output.resolve("prepared")).doesNotExist();
    assertThat(output.resolve("quarantine")).doesNotExist();
    assertThat(output.resolve("_commits/run_date=2026-02-01")).doesNotExist();
  }
}
