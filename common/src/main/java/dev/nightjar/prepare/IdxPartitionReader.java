package dev.nightjar.prepare;

import dev.nightjar.data.Example;
import dev.nightjar.data.Split;
import dev.nightjar.io.IdxReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;

/**
 * Decodes the records of one partition's ranges on an executor, one example at a time, so a
 * partition is never held in memory whole.
 */
final class IdxPartitionReader implements Iterator<Example> {
  private final Iterator<RecordRange> ranges;
  private final SplitPlan splitPlan;
  private final Configuration hadoopConf;
  private RecordRange range;
  private IdxReader images;
  private IdxReader labels;
  private int next;

  IdxPartitionReader(List<RecordRange> ranges, SplitPlan splitPlan, Configuration hadoopConf) {
    this.ranges = ranges.iterator();
    this.splitPlan = splitPlan;
    this.hadoopConf = hadoopConf;
  }

  @Override
  public boolean hasNext() {
    while (range == null || next >= range.end()) {
      closeReaders();
      if (!ranges.hasNext()) {
        return false;
      }
      openRange(ranges.next());
    }
    return true;
  }

  @Override
  public Example next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    try {
      byte[] pixels = new byte[images.header().recordBytes()];
      byte[] label = new byte[1];
      images.readRecord(pixels);
      labels.readRecord(label);
      int index = next++;
      Split split = range.fromTestFile() ? Split.TEST
          : splitPlan.isValidation(index) ? Split.VALIDATION : Split.TRAIN;
      String id = String.format("%s-%06d", range.source().stem(), index);
      return new Example(id, split, label[0] & 0xFF, pixels);
    } catch (IOException e) {
      throw new UncheckedIOException(range.source().images() + ": " + e.getMessage(), e);
    }
  }

  private void openRange(RecordRange newRange) {
    try {
      range = newRange;
      images = IdxReader.open(range.source().images(), hadoopConf);
      labels = IdxReader.open(range.source().labels(), hadoopConf);
      images.skipRecords(range.start());
      labels.skipRecords(range.start());
      next = range.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + newRange.source().images() + ": " + e.getMessage(), e);
    }
  }

  private void closeReaders() {
    try {
      if (images != null) {
        images.close();
      }
      if (labels != null) {
        labels.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      images = null;
      labels = null;
    }
  }
}
