package dev.nightjar.source;

import dev.nightjar.config.DataConfig;
import dev.nightjar.config.PrepareConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * IDX files (MNIST, Fashion-MNIST): the test file is the test split, and validation is carved from
 * the training file, stratified by class. Each file is split into contiguous record ranges.
 */
public final class IdxSource extends PlannedSource {
  private final DataConfig data;
  private final PrepareConfig prepare;

  public IdxSource(DataConfig data, PrepareConfig prepare) {
    this.data = data;
    this.prepare = prepare;
  }

  @Override
  SourcePlan plan(Configuration hadoopConf, int partitions) {
    IdxInputs inputs = IdxInputs.open(data, hadoopConf);
    SplitPlan splitPlan =
        SplitPlan.stratified(
            inputs.trainLabels(), data.numClasses(), prepare.validationFraction(), prepare.seed());
    List<PartitionReader> readers = new ArrayList<>();
    for (List<RecordRange> ranges :
        IdxPartitionPlan.balanced(partitions, inputs.train(), inputs.test())) {
      readers.add(new IdxPartitionReader(ranges, splitPlan, data.numClasses()));
    }
    return new SourcePlan(readers, inputs.imageShape(), data.classNames(), inputs.uris());
  }
}
