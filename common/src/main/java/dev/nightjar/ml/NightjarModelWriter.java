package dev.nightjar.ml;

import dev.nightjar.io.JsonFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWriter;

/**
 * Saves a {@link NightjarModel} as a folder that is all loading it needs: {@code metadata/}, the
 * params as Spark's own writer writes them (which {@code PipelineModel} reads to find the class);
 * {@code model/}, a copy of the model file; and {@value #DESCRIPTION}, what serving that file
 * needs.
 */
final class NightjarModelWriter extends MLWriter {
  static final String MODEL_DIR = "model";
  static final String DESCRIPTION = "nightjar-model.json";

  private final NightjarModel instance;

  NightjarModelWriter(NightjarModel instance) {
    this.instance = instance;
  }

  @Override
  public void saveImpl(String path) {
    // Spark's default params writer is package-private in Scala, public to Java: the one way to
    // write metadata that PipelineModel and DefaultParamsReader read back.
    DefaultParamsWriter.saveMetadata(
        instance, path, sc(), scala.Option.empty(), scala.Option.empty());
    Configuration conf = sc().hadoopConfiguration();
    ModelFile copy = ModelFiles.copyInto(conf, instance.modelFile(), new Path(path, MODEL_DIR));
    JsonFiles.write(conf, new Path(path, DESCRIPTION), copy);
  }
}
