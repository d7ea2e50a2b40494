package dev.nightjar.prepare;

import dev.nightjar.data.Example;
import dev.nightjar.data.PixelScaling;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.Split;
import dev.nightjar.io.LocalFiles;
import dev.nightjar.io.OutputWriteException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Packs one partition's examples into minibatch shards, one buffer per split, and writes each as a
 * serialized DL4J {@link DataSet}: the format {@code SparkDl4jMultiLayer.fitPaths} loads directly.
 *
 * <p>Shard names are a function of partition and sequence number, so a retried task rewrites the
 * same files instead of adding new ones. Each file is written under a temporary name and renamed
 * ({@link LocalFiles#writeReplacing}: on a local disk without Hadoop's per-file costs).
 */
public final class ShardWriter {
  private final Path outputDir;
  private final Configuration hadoopConf;
  private final int partition;
  private final int shardSize;
  private final int[] imageShape;
  private final int numClasses;
  private final Map<Split, List<Example>> buffers = new EnumMap<>(Split.class);
  private final Map<Split, Integer> sequence = new EnumMap<>(Split.class);
  private final List<ShardInfo> written = new ArrayList<>();

  public ShardWriter(
      Path outputDir,
      Configuration hadoopConf,
      int partition,
      int shardSize,
      int[] imageShape,
      int numClasses) {
    this.outputDir = outputDir;
    this.hadoopConf = hadoopConf;
    this.partition = partition;
    this.shardSize = shardSize;
    this.imageShape = imageShape.clone();
    this.numClasses = numClasses;
  }

  /** Writes every example of the iterator and returns the shards written. */
  public List<ShardInfo> writeAll(Iterator<Example> examples) {
    while (examples.hasNext()) {
      Example example = examples.next();
      List<Example> buffer =
          buffers.computeIfAbsent(example.split(), s -> new ArrayList<>(shardSize));
      buffer.add(example);
      if (buffer.size() == shardSize) {
        flush(example.split(), buffer);
      }
    }
    buffers.forEach(
        (split, buffer) -> {
          if (!buffer.isEmpty()) {
            flush(split, buffer);
          }
        });
    return written;
  }

  private void flush(Split split, List<Example> buffer) {
    int n = buffer.size();
    int pixels = imageShape[0] * imageShape[1] * imageShape[2];
    float[] features = new float[n * pixels];
    float[] labels = new float[n * numClasses];
    long[] labelCounts = new long[numClasses];
    for (int i = 0; i < n; i++) {
      Example example = buffer.get(i);
      PixelScaling.toUnitRange(example.pixels(), features, i * pixels);
      labels[i * numClasses + example.label()] = 1f;
      labelCounts[example.label()]++;
    }
    long[] featureShape = {n, imageShape[0], imageShape[1], imageShape[2]};
    long[] labelShape = {n, numClasses};
    int seq = sequence.merge(split, 1, Integer::sum) - 1;
    String relative = String.format("shards/%s/part-%05d-%05d.bin", split.label(), partition, seq);
    write(
        out -> writeDataSet(out, features, featureShape, labels, labelShape),
        new Path(outputDir, relative));
    written.add(new ShardInfo(split.label(), relative, n, labelCounts));
    buffer.clear();
  }

  private void write(LocalFiles.Content content, Path target) {
    try {
      LocalFiles.writeReplacing(target.getFileSystem(hadoopConf), target, content);
    } catch (IOException e) {
      throw new OutputWriteException(target, e);
    }
  }

  /**
   * Writes the bytes that {@code new DataSet(features, labels).save(out)} writes for these features
   * and labels (float arrays in C order), without copying them into ND4J's memory first and without
   * {@code save}'s four synchronized single-byte writes per value: the flags byte, then per array
   * its shape information and its data buffer (allocation mode, length, data type, the values as
   * big-endian floats). {@code ShardWriterTest} holds it to {@code DataSet.save}.
   */
  static void writeDataSet(
      OutputStream out, float[] features, long[] featureShape, float[] labels, long[] labelShape)
      throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeByte(FEATURES_AND_LABELS);
    writeArray(data, features, featureShape);
    writeArray(data, labels, labelShape);
    data.flush();
  }

  /** DataSet.save's flags: features present (1), labels present and not the features (2). */
  private static final int FEATURES_AND_LABELS = 1 | 2;

  private static void writeArray(DataOutputStream data, float[] values, long[] shape)
      throws IOException {
    Nd4j.getShapeInfoProvider()
        .createShapeInformation(shape, 'c', DataType.FLOAT)
        .getFirst()
        .write(data);
    data.writeUTF(AllocationMode.MODE);
    data.writeLong(values.length);
    data.writeUTF(DataType.FLOAT.name());
    ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * values.length);
    bytes.asFloatBuffer().put(values);
    data.write(bytes.array());
  }

  /** The allocation mode ND4J's float buffers are saved with, asked once. */
  private static final class AllocationMode {
    static final String MODE =
        Nd4j.create(new float[] {0f}, new long[] {1}, 'c').data().allocationMode().name();
  }
}
