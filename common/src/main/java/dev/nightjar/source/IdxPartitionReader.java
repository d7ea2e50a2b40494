package dev.nightjar.source;

import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.Rejection;
import dev.nightjar.data.Split;
import dev.nightjar.io.IdxReader;
import dev.nightjar.io.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;

/**
 * Decodes the record ranges of one partition of IDX files on an executor, one example at a time. A
 * file that ends early, or whose compressed stream is damaged, turns the rest of its range into one
 * rejection instead of failing the job.
 */
final class IdxPartitionReader implements PartitionReader {
  private static final long serialVersionUID = 1L;
  private final List<RecordRange> ranges;
  private final SplitPlan splitPlan;
  private final int numClasses;

  IdxPartitionReader(List<RecordRange> ranges, SplitPlan splitPlan, int numClasses) {
    this.ranges = List.copyOf(ranges);
    this.splitPlan = splitPlan;
    this.numClasses = numClasses;
  }

  @Override
  public Iterator<Decoded> read(Configuration hadoopConf) {
    return new RangeIterator(hadoopConf);
  }

  private final class RangeIterator implements Iterator<Decoded> {
    private final Configuration hadoopConf;
    private final Iterator<RecordRange> pending = ranges.iterator();
    private RecordRange range;
    private IdxReader images;
    private IdxReader labels;
    private int next;

    /** A range that could not even be opened, reported once as a single rejection. */
    private Rejection unreadable;

    RangeIterator(Configuration hadoopConf) {
      this.hadoopConf = hadoopConf;
    }

    @Override
    public boolean hasNext() {
      if (unreadable != null) {
        return true;
      }
      while (range == null || next >= range.end()) {
        closeReaders();
        if (!pending.hasNext()) {
          return false;
        }
        openRange(pending.next());
        if (unreadable != null) {
          return true;
        }
      }
      return true;
    }

    @Override
    public Decoded next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (unreadable != null) {
        Rejection rejection = unreadable;
        unreadable = null;
        return Decoded.rejected(rejection);
      }
      int index = next;
      try {
        byte[] pixels = new byte[images.header().recordBytes()];
        byte[] label = new byte[1];
        images.readRecord(pixels);
        labels.readRecord(label);
        next++;
        int value = label[0] & 0xFF;
        if (value >= numClasses) {
          return Decoded.rejected(
              new Rejection(
                  range.source().labels(),
                  "record " + index,
                  "label " + value + " is not below the " + numClasses + " configured classes",
                  1));
        }
        Split split =
            range.fromTestFile()
                ? Split.TEST
                : splitPlan.isValidation(index) ? Split.VALIDATION : Split.TRAIN;
        return Decoded.of(
            new Example(
                String.format("%s-%06d", range.source().stem(), index), split, value, pixels));
      } catch (InputException e) {
        // The rest of this range cannot be read: one rejection stands for all of it.
        Rejection rejection =
            new Rejection(
                range.source().images(), "record " + index, e.getMessage(), range.end() - index);
        next = range.end();
        return Decoded.rejected(rejection);
      } catch (IOException e) {
        throw new UncheckedIOException(range.source().images() + ": " + e.getMessage(), e);
      }
    }

    private void openRange(RecordRange newRange) {
      range = newRange;
      next = range.start();
      try {
        images = IdxReader.open(range.source().images(), hadoopConf);
        labels = IdxReader.open(range.source().labels(), hadoopConf);
        images.skipRecords(range.start());
        labels.skipRecords(range.start());
      } catch (InputException e) {
        // Unreadable before the range starts: the whole range goes to the quarantine.
        unreadable =
            new Rejection(
                range.source().images(), "record " + range.start(), e.getMessage(), range.size());
        next = range.end();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot open " + newRange.source().images() + ": " + e.getMessage(), e);
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
}
