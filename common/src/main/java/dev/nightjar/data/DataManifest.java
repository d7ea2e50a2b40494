package dev.nightjar.data;

import java.util.List;
import java.util.Map;

/**
 * What a prepare run produced, written as {@code _manifest.json} beside the shards: enough for
 * training to find its inputs and for anyone to tell where they came from.
 *
 * @param id a content hash of the counts, shards and source, identifying this data set
 * @param imageShape channels, height and width of one example
 * @param counts examples per split
 * @param labelCounts examples per label, per split
 */
public record DataManifest(
    int schemaVersion,
    String id,
    String runId,
    String createdAt,
    String configHash,
    List<String> source,
    int[] imageShape,
    List<String> classNames,
    int shardSize,
    int partitions,
    Map<String, Long> counts,
    Map<String, long[]> labelCounts,
    List<ShardInfo> shards) {

  public static final int SCHEMA_VERSION = 1;

  /** The shards of one split, in a stable order. */
  public List<ShardInfo> shards(Split split) {
    return shards.stream().filter(s -> s.split().equals(split.label())).toList();
  }

  public long count(Split split) {
    return counts.getOrDefault(split.label(), 0L);
  }

  public int numClasses() {
    return classNames.size();
  }
}
