package dev.nightjar.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

  /**
   * The manifest of {@code shards}: per-split counts and label counts tallied from them, and an id
   * made of {@code sourceId} and every shard's content summary.
   *
   * @param sourceId what the shards were made from and how, for the id; empty when nothing names it
   */
  public static DataManifest of(
      List<ShardInfo> shards,
      String sourceId,
      String runId,
      String settingsHash,
      List<String> uris,
      int[] imageShape,
      List<String> classNames,
      int shardSize,
      int partitions) {
    int numClasses = classNames.size();
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, long[]> labelCounts = new LinkedHashMap<>();
    for (Split split : Split.values()) {
      counts.put(split.label(), 0L);
      labelCounts.put(split.label(), new long[numClasses]);
    }
    for (ShardInfo shard : shards) {
      counts.merge(shard.split(), (long) shard.examples(), Long::sum);
      long[] total = labelCounts.get(shard.split());
      for (int c = 0; c < numClasses; c++) {
        total[c] += shard.labelCounts()[c];
      }
    }
    return new DataManifest(
        SCHEMA_VERSION,
        contentId(sourceId, shards),
        runId,
        Instant.now().toString(),
        settingsHash,
        uris,
        imageShape,
        classNames,
        shardSize,
        partitions,
        counts,
        labelCounts,
        shards);
  }

  /** Identifies prepared data by what it holds: its source and every shard's content summary. */
  private static String contentId(String sourceId, List<ShardInfo> shards) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(sourceId.getBytes(StandardCharsets.UTF_8));
      for (ShardInfo shard : shards) {
        digest.update(
            (shard.path() + ":" + shard.examples() + ":" + Arrays.toString(shard.labelCounts()))
                .getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
