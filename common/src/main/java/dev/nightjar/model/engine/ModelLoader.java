package dev.nightjar.model.engine;

import dev.nightjar.io.InputException;
import dev.nightjar.io.InputReadException;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.model.ModelRef;
import dev.nightjar.spark.GpuBinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Reads a model file into the engine its reference names. */
public final class ModelLoader {
  private ModelLoader() {}

  public static EnginePool load(ModelRef ref, Configuration hadoopConf) {
    Path file = new Path(ref.file());
    byte[] bytes;
    try (InputStream in = file.getFileSystem(hadoopConf).open(file)) {
      bytes = in.readAllBytes();
    } catch (java.io.FileNotFoundException e) {
      throw new InputException(file + ": model not found");
    } catch (IOException e) {
      throw new InputReadException(file, e);
    }
    ModelDigest.verify(bytes, ref.sha256(), file.toString());
    try {
      return ref.gpu()
          ? Engines.openOnGpu(bytes, GpuBinding.executorDevice())
          : Engines.open(
              ref.engine(), bytes, file.getName(), ref.imageShape(), ref.intraOpThreads());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new InputException(
          file + ": cannot load it on " + ref.engine().label() + ": " + e.getMessage(), e);
    }
  }
}
