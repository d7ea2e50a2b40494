package dev.nightjar.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A compact file for a magnitude-pruned network, for inference (no updater state): a zip holding
 * the configuration JSON and one binary entry with every parameter, each stored either densely
 * (float32s) or, when that is smaller, as a bitmask of its non-zero entries plus those entries. At
 * 90% sparsity that is about 0.125 + 0.4 bytes per weight instead of 4. Reading gives back the
 * parameters bit for bit (a -0.0 counts as non-zero and is stored), hence the same outputs.
 */
public final class SparseModelFile {
  static final String CONFIGURATION_ENTRY = "configuration.json";
  static final String PARAMETERS_ENTRY = "parameters.bin";
  private static final int MAGIC = 0x4e4a5350; // "NJSP"
  private static final int VERSION = 1;
  private static final byte DENSE = 0;
  private static final byte SPARSE = 1;

  private SparseModelFile() {}

  public static void write(MultiLayerNetwork network, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(network, out);
    }
  }

  /** Writes a float32 network to {@code out}, which it finishes but does not close. */
  public static void write(MultiLayerNetwork network, OutputStream out) throws IOException {
    if (network.params().dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException(
          "only float32 networks are supported, got " + network.params().dataType());
    }
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.putNextEntry(new ZipEntry(CONFIGURATION_ENTRY));
    zip.write(network.getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry(PARAMETERS_ENTRY));
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
    Map<String, INDArray> params = network.paramTable();
    data.writeInt(MAGIC);
    data.writeInt(VERSION);
    data.writeInt(params.size());
    for (Map.Entry<String, INDArray> entry : params.entrySet()) {
      writeParam(data, entry.getKey(), entry.getValue());
    }
    data.flush();
    zip.closeEntry();
    zip.finish();
  }

  public static MultiLayerNetwork read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  /**
   * Reads a network written by {@link #write}: initialised, with the stored parameters. The file is
   * not trusted: each parameter's stored shape must be its configuration's before anything is
   * allocated for it, and whatever does not fit is an {@link IOException}.
   */
  public static MultiLayerNetwork read(InputStream in) throws IOException {
    ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in, 1 << 16));
    ZipEntry entry = zip.getNextEntry();
    if (entry == null || !entry.getName().equals(CONFIGURATION_ENTRY)) {
      throw new IOException("not a sparse model file: expected " + CONFIGURATION_ENTRY + " first");
    }
    byte[] configuration = zip.readNBytes(MAX_CONFIGURATION_BYTES + 1);
    if (configuration.length > MAX_CONFIGURATION_BYTES) {
      throw new IOException(CONFIGURATION_ENTRY + " beyond " + MAX_CONFIGURATION_BYTES + " bytes");
    }
    MultiLayerNetwork network;
    try {
      MultiLayerConfiguration conf =
          MultiLayerConfiguration.fromJson(new String(configuration, StandardCharsets.UTF_8));
      long parameters = 0;
      for (NeuralNetConfiguration layer : conf.getConfs()) {
        parameters += layer.getLayer().initializer().numParams(layer);
      }
      if (parameters < 0 || parameters > MAX_PARAMETERS) {
        throw new IOException(
            CONFIGURATION_ENTRY
                + " configures "
                + parameters
                + " parameters, beyond "
                + MAX_PARAMETERS);
      }
      network = new MultiLayerNetwork(conf);
      network.init();
    } catch (RuntimeException e) {
      throw new IOException(CONFIGURATION_ENTRY + " is no network configuration: " + e, e);
    }
    entry = zip.getNextEntry();
    if (entry == null || !entry.getName().equals(PARAMETERS_ENTRY)) {
      throw new IOException("not a sparse model file: no " + PARAMETERS_ENTRY);
    }
    DataInputStream data = new DataInputStream(new BufferedInputStream(zip, 1 << 16));
    if (data.readInt() != MAGIC || data.readInt() != VERSION) {
      throw new IOException("not a sparse model file of version " + VERSION);
    }
    int count = data.readInt();
    Set<String> expected = new HashSet<>(network.paramTable().keySet());
    if (count != expected.size()) {
      throw new IOException(
          "the file has " + count + " parameters, its configuration " + expected.size());
    }
    for (int p = 0; p < count; p++) {
      String key = data.readUTF();
      if (!expected.remove(key)) {
        throw new IOException("unexpected or repeated parameter " + key);
      }
      INDArray target = network.getParam(key);
      target.assign(readParam(data, key, target.shape()));
    }
    return network;
  }

  /** Far above any zoo network's configuration, which is a few kilobytes. */
  private static final int MAX_CONFIGURATION_BYTES = 16 << 20;

  /** As many float32 parameters as a DL4J zip may inflate to ({@link Dl4jZip}). */
  private static final long MAX_PARAMETERS = Dl4jZip.MAX_INFLATED_BYTES / 4;

  private static void writeParam(DataOutputStream data, String key, INDArray param)
      throws IOException {
    float[] values = Nd4j.toFlattened('c', param).toFloatVector();
    long[] shape = param.shape();
    data.writeUTF(key);
    data.writeByte(shape.length);
    for (long dimension : shape) {
      data.writeLong(dimension);
    }
    int nonZero = 0;
    for (float value : values) {
      if (Float.floatToRawIntBits(value) != 0) {
        nonZero++;
      }
    }
    long sparseBytes = 4L + (values.length + 7) / 8 + 4L * nonZero;
    if (sparseBytes < 4L * values.length) {
      data.writeByte(SPARSE);
      data.writeInt(nonZero);
      byte[] mask = new byte[(values.length + 7) / 8];
      for (int i = 0; i < values.length; i++) {
        if (Float.floatToRawIntBits(values[i]) != 0) {
          mask[i >>> 3] |= (byte) (1 << (i & 7));
        }
      }
      data.write(mask);
      float[] stored = new float[nonZero];
      int at = 0;
      for (float value : values) {
        if (Float.floatToRawIntBits(value) != 0) {
          stored[at++] = value;
        }
      }
      writeFloats(data, stored);
    } else {
      data.writeByte(DENSE);
      writeFloats(data, values);
    }
  }

  /**
   * Writes the floats byte plane by byte plane (all most significant bytes first): the sign and
   * exponent bytes repeat a lot and deflate well once together; the mantissa bytes barely compress
   * whichever way, so this is about all a lossless format can gain.
   */
  private static void writeFloats(DataOutputStream data, float[] values) throws IOException {
    byte[] planes = new byte[4 * values.length];
    for (int i = 0; i < values.length; i++) {
      int bits = Float.floatToRawIntBits(values[i]);
      for (int b = 0; b < 4; b++) {
        planes[b * values.length + i] = (byte) (bits >>> (24 - 8 * b));
      }
    }
    data.write(planes);
  }

  private static float[] readFloats(DataInputStream data, int count) throws IOException {
    byte[] planes = new byte[4 * count];
    data.readFully(planes);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      int bits = 0;
      for (int b = 0; b < 4; b++) {
        bits |= (planes[b * count + i] & 0xFF) << (24 - 8 * b);
      }
      values[i] = Float.intBitsToFloat(bits);
    }
    return values;
  }

  /**
   * One parameter, which must have the shape {@code expected} (its configuration's): the stored
   * shape is checked before the values are read, so a lying header allocates nothing.
   */
  private static INDArray readParam(DataInputStream data, String key, long[] expected)
      throws IOException {
    long[] shape = new long[data.readUnsignedByte()];
    for (int d = 0; d < shape.length && shape.length == expected.length; d++) {
      shape[d] = data.readLong();
    }
    if (!java.util.Arrays.equals(shape, expected)) {
      throw new IOException(
          key
              + ": stored shape "
              + (shape.length == expected.length
                  ? java.util.Arrays.toString(shape)
                  : "of rank " + shape.length)
              + ", configuration's "
              + java.util.Arrays.toString(expected));
    }
    long length = 1;
    for (long dimension : shape) {
      length *= dimension;
    }
    int count = Math.toIntExact(length);
    float[] values;
    byte encoding = data.readByte();
    if (encoding == DENSE) {
      values = readFloats(data, count);
    } else if (encoding == SPARSE) {
      int nonZero = data.readInt();
      if (nonZero < 0 || nonZero > count) {
        throw new IOException(key + ": " + nonZero + " non-zeros of " + count + " values");
      }
      byte[] mask = new byte[(count + 7) / 8];
      data.readFully(mask);
      float[] stored = readFloats(data, nonZero);
      values = new float[count];
      int read = 0;
      for (int i = 0; i < count; i++) {
        if ((mask[i >>> 3] & (1 << (i & 7))) != 0) {
          if (read == nonZero) {
            throw new IOException("bitmask has more non-zeros than its header's " + nonZero);
          }
          values[i] = stored[read++];
        }
      }
      if (read != nonZero) {
        throw new IOException("bitmask has " + read + " non-zeros, header " + nonZero);
      }
    } else {
      throw new IOException("unknown parameter encoding " + encoding);
    }
    return Nd4j.create(values, shape, 'c');
  }
}
