package dev.nightjar.prepare.source;

import org.apache.hadoop.conf.Configuration;

/** A data set the prepare stage can read: IDX files, image folders, ... */
public interface ExampleSource {
  /**
   * Checks the inputs and plans them as {@code partitions} balanced partitions. A missing input
   * fails with a ConfigException naming its path, before any Spark job runs.
   */
  SourcePlan plan(Configuration hadoopConf, int partitions);
}
