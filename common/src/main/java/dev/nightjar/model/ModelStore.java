package dev.nightjar.model;

import dev.nightjar.io.InputException;
import dev.nightjar.io.InputReadException;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputWriteException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads a model folder: {@code model.zip} (DL4J, with updater state) and {@code
 * model.json}.
 */
public final class ModelStore {
  public static final String MODEL_FILE = "model.zip";
  public static final String METADATA_FILE = "model.json";

  private ModelStore() {}

  /** Writes the network to {@code dir/model.zip} and returns the file's SHA-256. */
  public static String writeNetwork(Configuration conf, Path dir, MultiLayerNetwork network) {
    Path file = new Path(dir, MODEL_FILE);
    try {
      FileSystem fs = file.getFileSystem(conf);
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = new DigestOutputStream(fs.create(file, true), digest)) {
        ModelSerializer.writeModel(network, out, true);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new OutputWriteException(file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void writeMetadata(Configuration conf, Path dir, ModelMetadata metadata) {
    JsonFiles.write(conf, new Path(dir, METADATA_FILE), metadata);
  }

  public static ModelMetadata readMetadata(Configuration conf, Path dir) {
    return ModelDocuments.readMetadata(conf, new Path(dir, METADATA_FILE));
  }

  /** Loads the network of a model folder, for inference. */
  public static MultiLayerNetwork loadNetwork(Configuration conf, Path dir) {
    return loadNetwork(conf, dir, false);
  }

  /**
   * Loads the network of a model folder; with {@code updater}, also the optimizer state to continue
   * training. The file is read whole before it is parsed, so a failing read (worth another try) is
   * told apart from a file that is no model.
   */
  public static MultiLayerNetwork loadNetwork(Configuration conf, Path dir, boolean updater) {
    Path file = new Path(dir, MODEL_FILE);
    return Dl4jZip.restore(read(conf, file), file.toString(), updater);
  }

  /**
   * Loads the trained network of a model folder after checking its bytes against the SHA-256 its
   * {@code model.json} records.
   */
  public static MultiLayerNetwork loadVerified(Configuration conf, Path dir) {
    ModelMetadata metadata = readMetadata(conf, dir);
    Path file = new Path(dir, MODEL_FILE);
    byte[] zip = read(conf, file);
    ModelDigest.verify(zip, metadata.sha256(), file.toString());
    return Dl4jZip.restore(zip, file.toString(), false);
  }

  /**
   * A failure to read is I/O, which a retry may mend; what the bytes hold is judged by the caller.
   */
  private static byte[] read(Configuration conf, Path file) {
    try (InputStream in = file.getFileSystem(conf).open(file)) {
      return in.readAllBytes();
    } catch (java.io.FileNotFoundException e) {
      throw new InputException(file + ": model not found");
    } catch (IOException e) {
      throw new InputReadException(file, e);
    }
  }
}
