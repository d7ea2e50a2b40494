package dev.nightjar.data;

import java.io.Serializable;

/**
 * One minibatch shard: a DL4J {@code DataSet} file that training reads directly.
 *
 * @param path relative to the prepared folder, so the folder stays valid after it is moved
 * @param labelCounts examples per label in the shard
 */
public record ShardInfo(String split, String path, int examples, long[] labelCounts)
    implements Serializable {}
