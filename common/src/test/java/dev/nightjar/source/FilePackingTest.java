package dev.nightjar.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FilePackingTest {
  @Test
  void manySmallFilesOfSkewedClassesPackIntoFewBalancedPartitions() {
    Random random = new Random(3);
    List<ImageFile> files = new ArrayList<>();
    int[] classSizes = {9000, 600, 40, 8};
    for (int label = 0; label < classSizes.length; label++) {
      for (int i = 0; i < classSizes[label]; i++) {
        files.add(
            new ImageFile(
                "f" + label + "-" + i,
                label + "/" + i,
                1000 + random.nextInt(20_000),
                label,
                Split.TRAIN));
      }
    }
    List<List<ImageFile>> bins = FilePacking.balanced(files, 8, 4);
    assertThat(bins).hasSize(8);
    assertThat(bins.stream().mapToInt(List::size).sum()).isEqualTo(files.size());
    for (List<ImageFile> bin : bins) {
      assertThat(bin.stream().map(ImageFile::label).distinct().count())
          .as("every class in every partition")
          .isEqualTo(4);
    }
    long[] bytes =
        bins.stream().mapToLong(b -> b.stream().mapToLong(ImageFile::bytes).sum()).toArray();
    long max = java.util.Arrays.stream(bytes).max().orElseThrow();
    long min = java.util.Arrays.stream(bytes).min().orElseThrow();
    assertThat((double) (max - min) / max).as("bytes balanced").isLessThan(0.02);
  }
}
