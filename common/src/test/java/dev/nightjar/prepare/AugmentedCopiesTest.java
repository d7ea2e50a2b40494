package dev.nightjar.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.AugmentConfig;
import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.Rejection;
import dev.nightjar.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AugmentedCopiesTest {
  private static final int[] SHAPE = {1, 28, 28};
  private static final Augmenter AUGMENTER =
      new Augmenter(
          AugmentConfig.builder().enabled(true).horizontalFlip(true).copies(3).build(), 42);

  private static Example example(String id, Split split) {
    byte[] pixels = new byte[28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    return new Example(id, split, 4, pixels);
  }

  private static List<Decoded> copies(Decoded decoded, int copies) throws Exception {
    List<Decoded> out = new ArrayList<>();
    new AugmentedCopies(AUGMENTER, copies, SHAPE).call(decoded).forEachRemaining(out::add);
    return out;
  }

  @Test
  void aTrainingExampleBecomesDistinctCopiesTheFirstKeepingItsId() throws Exception {
    Example original = example("train-000042", Split.TRAIN);
    List<Example> copies = copies(Decoded.of(original), 3).stream().map(Decoded::example).toList();
    assertThat(copies)
        .extracting(Example::id)
        .containsExactly("train-000042", "train-000042-aug1", "train-000042-aug2");
    assertThat(copies)
        .allSatisfy(
            copy -> {
              assertThat(copy.split()).isEqualTo(Split.TRAIN);
              assertThat(copy.label()).isEqualTo(4);
            });
    Set<String> images =
        copies.stream().map(c -> java.util.Arrays.toString(c.pixels())).collect(Collectors.toSet());
    assertThat(images).as("each copy its own transform").hasSize(3);
    // One copy is what augmentation without copies makes of the example: reruns and old shards
    // agree.
    assertThat(copies.get(0).pixels())
        .isEqualTo(AUGMENTER.apply(original.pixels(), 1, 28, 28, "train-000042"));
    assertThat(copies(Decoded.of(original), 3).get(2).example().pixels())
        .isEqualTo(copies.get(2).pixels());
  }

  @Test
  void validationTestAndRejectedRecordsPassThrough() throws Exception {
    for (Split split : new Split[] {Split.VALIDATION, Split.TEST}) {
      Decoded decoded = Decoded.of(example("x", split));
      assertThat(copies(decoded, 3)).containsExactly(decoded);
    }
    Decoded rejected = Decoded.rejected(new Rejection("file.idx", "record 7", "truncated", 1));
    assertThat(copies(rejected, 3)).containsExactly(rejected);
  }
}
