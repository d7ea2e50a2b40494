package dev.nightjar.ml;

import dev.nightjar.config.EngineKind;
import dev.nightjar.model.ModelRef;
import java.io.Serializable;

/**
 * A model file and what serving it needs, as a {@link NightjarModel} holds and saves it.
 *
 * @param file the model file, any Hadoop URI; in a saved model's description, its name in the saved
 *     folder's {@code model/}
 * @param sha256 of the file; with the engine, what the executors cache the model by
 * @param version stamped on the model's predictions, as the infer stage stamps it
 */
record ModelFile(
    String file, String sha256, String version, EngineKind engine, int[] imageShape, int numClasses)
    implements Serializable {

  /** What the executors load: this file on its engine, with {@code threads} for each batch. */
  ModelRef ref(int threads) {
    return new ModelRef(
        file, sha256, version, engine, imageShape.clone(), numClasses, threads, false);
  }

  ModelFile withFile(String other) {
    return new ModelFile(other, sha256, version, engine, imageShape, numClasses);
  }

  int pixels() {
    return imageShape[0] * imageShape[1] * imageShape[2];
  }
}
