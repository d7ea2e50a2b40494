package dev.nightjar.source;

import dev.nightjar.data.Decoded;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;

/**
 * One planned partition: what it reads, and how. It travels to an executor and decodes there, one
 * record at a time, turning bad records into rejections rather than failures.
 */
public interface PartitionReader extends Serializable {
  Iterator<Decoded> read(Configuration hadoopConf);
}
