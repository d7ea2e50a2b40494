package dev.nightjar.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.config.AugmentConfig;
import org.junit.jupiter.api.Test;

class AugmenterTest {
  private static byte[] gradient() {
    byte[] pixels = new byte[28 * 28];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        pixels[y * 28 + x] = (byte) (x * 9);
      }
    }
    return pixels;
  }

  @Test
  void sameSeedAndIdGiveTheSameImage() {
    AugmentConfig affineAndFlip =
        AugmentConfig.builder().enabled(true).horizontalFlip(true).build();
    Augmenter augmenter = new Augmenter(affineAndFlip, 7);
    assertThat(augmenter.apply(gradient(), 1, 28, 28, "a"))
        .isEqualTo(augmenter.apply(gradient(), 1, 28, 28, "a"));
    assertThat(augmenter.apply(gradient(), 1, 28, 28, "a"))
        .isNotEqualTo(augmenter.apply(gradient(), 1, 28, 28, "b"));
    assertThat(new Augmenter(affineAndFlip, 8).apply(gradient(), 1, 28, 28, "a"))
        .isNotEqualTo(augmenter.apply(gradient(), 1, 28, 28, "a"));
  }

  @Test
  void zeroRangesLeaveTheImageAlone() {
    Augmenter identity =
        new Augmenter(
            AugmentConfig.builder()
                .enabled(true)
                .rotationDegrees(0)
                .translate(0)
                .scaleMin(1)
                .scaleMax(1)
                .build(),
            1);
    assertThat(identity.apply(gradient(), 1, 28, 28, "x")).isEqualTo(gradient());
  }

  @Test
  void aFlipMirrorsTheImage() {
    AugmentConfig flipOnly =
        AugmentConfig.builder()
            .enabled(true)
            .rotationDegrees(0)
            .translate(0)
            .scaleMin(1)
            .scaleMax(1)
            .horizontalFlip(true)
            .build();
    // Some ids flip and some do not; find one that does.
    for (int i = 0; i < 20; i++) {
      byte[] out = new Augmenter(flipOnly, 1).apply(gradient(), 1, 28, 28, "id" + i);
      if (out[0] != gradient()[0]) {
        assertThat(out[0]).isEqualTo(gradient()[27]);
        assertThat(out[27]).isEqualTo(gradient()[0]);
        return;
      }
    }
    throw new AssertionError("no id flipped in 20 tries");
  }
}
