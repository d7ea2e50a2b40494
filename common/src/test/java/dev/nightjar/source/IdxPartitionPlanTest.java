package dev.nightjar.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdxPartitionPlanTest {
  @Test
  void rangesCoverEverySourceOnceAndDifferByAtMostOne() {
    IdxSourceFile train = new IdxSourceFile("train", "a", "b", 60_001);
    IdxSourceFile test = new IdxSourceFile("t10k", "c", "d", 10_000);
    List<List<RecordRange>> plan = IdxPartitionPlan.balanced(7, train, test);
    assertThat(plan).hasSize(7);
    int expectedStart = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (List<RecordRange> partition : plan) {
      RecordRange range = partition.get(0);
      assertThat(range.start()).isEqualTo(expectedStart);
      expectedStart = range.end();
      int size = partition.stream().mapToInt(RecordRange::size).sum();
      min = Math.min(min, size);
      max = Math.max(max, size);
    }
    assertThat(expectedStart).isEqualTo(60_001);
    assertThat(max - min).isLessThanOrEqualTo(2);
    assertThat(
            plan.stream()
                .flatMap(List::stream)
                .filter(RecordRange::fromTestFile)
                .mapToInt(RecordRange::size)
                .sum())
        .isEqualTo(10_000);
  }

  @Test
  void morePartitionsThanRecordsLeavesSomeEmpty() {
    IdxSourceFile tiny = new IdxSourceFile("train", "a", "b", 2);
    IdxSourceFile none = new IdxSourceFile("t10k", "c", "d", 0);
    List<List<RecordRange>> plan = IdxPartitionPlan.balanced(4, tiny, none);
    assertThat(plan.stream().mapToInt(p -> p.stream().mapToInt(RecordRange::size).sum()).sum())
        .isEqualTo(2);
  }
}
