package dev.nightjar.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits each source into {@code n} contiguous ranges whose sizes differ by at most one, and gives
 * partition {@code i} the {@code i}-th range of every source: partitions are balanced by records.
 */
public final class IdxPartitionPlan {
  private IdxPartitionPlan() {}

  public static List<List<RecordRange>> balanced(
      int partitions, IdxSourceFile train, IdxSourceFile test) {
    List<List<RecordRange>> plan = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      List<RecordRange> ranges = new ArrayList<>(2);
      addRange(ranges, train, false, p, partitions);
      addRange(ranges, test, true, p, partitions);
      plan.add(ranges);
    }
    return plan;
  }

  private static void addRange(
      List<RecordRange> ranges, IdxSourceFile source, boolean test, int p, int n) {
    int start = (int) ((long) source.records() * p / n);
    int end = (int) ((long) source.records() * (p + 1) / n);
    if (end > start) {
      ranges.add(new RecordRange(source, test, start, end));
    }
  }
}
