package dev.nightjar.ml;

import dev.nightjar.io.JsonFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;

/**
 * Loads what {@link NightjarModelWriter} saved: the model served from the folder's own copy of its
 * file.
 */
final class NightjarModelReader extends MLReader<NightjarModel> {
  @Override
  public NightjarModel load(String path) {
    DefaultParamsReader.Metadata metadata =
        DefaultParamsReader.loadMetadata(path, sc(), NightjarModel.class.getName());
    Configuration conf = sc().hadoopConfiguration();
    Path dir = new Path(ModelFiles.qualified(conf, path));
    ModelFile saved =
        JsonFiles.read(conf, new Path(dir, NightjarModelWriter.DESCRIPTION), ModelFile.class);
    Path file = new Path(new Path(dir, NightjarModelWriter.MODEL_DIR), saved.file());
    NightjarModel model = new NightjarModel(metadata.uid(), saved.withFile(file.toString()));
    metadata.getAndSetParams(model, scala.Option.empty());
    return model;
  }
}
