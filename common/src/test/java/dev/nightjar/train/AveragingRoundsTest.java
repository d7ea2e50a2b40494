package dev.nightjar.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AveragingRoundsTest {
  private static List<String> shards(int n) {
    return IntStream.range(0, n).mapToObj(i -> "shard-" + i).toList();
  }

  @Test
  void everyShardIsInExactlyOneRoundAndNoWorkerGetsMoreThanItFitsWhole() {
    // 29 shards, as a 2,700-example slice has: DL4J's own splits dropped 9 of them.
    List<AveragingRounds.Round> rounds = AveragingRounds.plan(shards(29), 2, 5, 7);

    List<String> planned = new ArrayList<>();
    for (AveragingRounds.Round round : rounds) {
      assertThat(round.shardsPerWorker()).hasSizeBetween(1, 2);
      round.shardsPerWorker().forEach(worker -> assertThat(worker).hasSizeBetween(1, 5));
      round.shardsPerWorker().forEach(planned::addAll);
    }
    assertThat(planned).containsExactlyInAnyOrderElementsOf(shards(29));
    assertThat(rounds).extracting(AveragingRounds.Round::number).containsExactly(1, 2, 3);
  }

  @Test
  void theSeedShufflesAndTheSameSeedPlansTheSameRounds() {
    assertThat(AveragingRounds.plan(shards(40), 2, 5, 3))
        .isEqualTo(AveragingRounds.plan(shards(40), 2, 5, 3))
        .isNotEqualTo(AveragingRounds.plan(shards(40), 2, 5, 4));
  }

  @Test
  void aLastRoundSmallerThanTheWorkersRunsOnFewer() {
    List<AveragingRounds.Round> rounds = AveragingRounds.plan(shards(11), 3, 2, 1);
    assertThat(rounds).hasSize(2);
    assertThat(rounds.get(1).shardsPerWorker()).hasSize(3);
    assertThat(AveragingRounds.plan(shards(1), 4, 5, 1).get(0).shardsPerWorker()).hasSize(1);
  }

  @Test
  void workersFitAsManyShardsAsTheirAveragingFrequencysMinibatchesHold() {
    TrainConfig train = TrainConfig.builder().batchSizePerWorker(100).averagingFrequency(5).build();
    assertThat(AveragingRounds.shardsPerWorker(train, 100)).isEqualTo(5);
    assertThat(AveragingRounds.shardsPerWorker(train, 128)).isEqualTo(3);
    assertThat(AveragingRounds.shardsPerWorker(train, 500)).isEqualTo(1);
  }

  @Test
  void aShardLargerThanAWorkersRoundIsRefusedNamingTheSettings() {
    TrainConfig train = TrainConfig.builder().batchSizePerWorker(16).averagingFrequency(5).build();
    assertThatThrownBy(() -> AveragingRounds.shardsPerWorker(train, 100))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nightjar.train.batch-size-per-worker (16)")
        .hasMessageContaining("nightjar.train.averaging-frequency (5)")
        .hasMessageContaining("80 examples per worker and round, fewer than a shard's 100");
  }
}
