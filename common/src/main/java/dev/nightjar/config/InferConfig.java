package dev.nightjar.config;

import dev.nightjar.data.Split;
import dev.nightjar.io.PlainNames;
import java.io.Serializable;
import java.util.List;

/**
 * What the infer stage scores, with which model, on which engine and in which batch size.
 *
 * @param input new data to score (any source the prepare stage reads, labelled or not); empty
 *     scores {@code split} of the prepared data
 * @param inputFormat the format of {@code input}
 * @param model which model serves (see {@link ServedModel})
 * @param topK how many most probable classes to list per prediction; 0 lists none
 * @param threadsPerTask threads one batch may use on ONNX Runtime
 * @param onnxRuntimeCuda run ONNX Runtime on the executor's GPU; refused by the infer stage, as no
 *     build ships ONNX Runtime's CUDA build (its CUDA stack is not ND4J's)
 * @param modelRoots folders besides the output root that a serving model's file may lie in
 */
public record InferConfig(
    Split split,
    String input,
    DataConfig.Format inputFormat,
    int batchSize,
    EngineKind engine,
    ServedModel model,
    int topK,
    int threadsPerTask,
    boolean onnxRuntimeCuda,
    List<String> modelRoots)
    implements Serializable {

  /**
   * Which model the infer stage serves: {@code serving}, the variant the run date's optimize stage
   * selected; {@code trained}, the run date's trained model as it is (DL4J engine only); any other
   * name, an alias or a version of the output root's model registry, whatever the run date.
   */
  public record ServedModel(String name) implements Serializable {
    public static final ServedModel SERVING = new ServedModel("serving");
    public static final ServedModel TRAINED = new ServedModel("trained");

    static ServedModel parse(String text) {
      String name = text.trim();
      for (ServedModel fixed : List.of(SERVING, TRAINED)) {
        if (fixed.name().equalsIgnoreCase(name)) {
          return fixed;
        }
      }
      if (!PlainNames.isPlain(name)) {
        throw ConfigException.badValue(
            ConfigKeys.INFER_MODEL,
            text,
            "expected serving, trained, or a registry alias or version (letters, digits, '_' and"
                + " '-')");
      }
      return new ServedModel(name);
    }

    /** Whether the name is an alias or version of the model registry. */
    public boolean registered() {
      return !equals(SERVING) && !equals(TRAINED);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Whether the stage scores new data rather than a split of the prepared data. */
  public boolean scoresNewData() {
    return !input.isBlank();
  }

  public InferConfig {
    modelRoots = List.copyOf(modelRoots);
    Checks.atLeast(1, batchSize, ConfigKeys.INFER_BATCH_SIZE);
    Checks.atLeast(0, topK, ConfigKeys.INFER_TOP_K);
    Checks.atLeast(1, threadsPerTask, ConfigKeys.INFER_THREADS_PER_TASK);
    if (model.equals(ServedModel.TRAINED) && engine != EngineKind.DL4J) {
      throw new ConfigException(
          ConfigKeys.INFER_MODEL
              + " = trained serves the DL4J model as it is: set "
              + ConfigKeys.INFER_ENGINE
              + " = dl4j, or serve the optimize stage's ONNX model with "
              + ConfigKeys.INFER_MODEL
              + " = serving");
    }
  }

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private Split split = Split.TEST;
    private String input = "";
    // reference.conf leaves input-format empty, which means data.format: idx by default.
    private DataConfig.Format inputFormat = DataConfig.Format.IDX;
    private int batchSize = 256;
    private EngineKind engine = EngineKind.ONNXRUNTIME;
    private ServedModel model = ServedModel.SERVING;
    private int topK = 0;
    private int threadsPerTask = 1;
    private boolean onnxRuntimeCuda = false;
    private List<String> modelRoots = List.of();

    private Builder() {}

    public Builder split(Split value) {
      split = value;
      return this;
    }

    public Builder input(String value) {
      input = value;
      return this;
    }

    public Builder inputFormat(DataConfig.Format value) {
      inputFormat = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder engine(EngineKind value) {
      engine = value;
      return this;
    }

    public Builder model(ServedModel value) {
      model = value;
      return this;
    }

    public Builder topK(int value) {
      topK = value;
      return this;
    }

    public Builder threadsPerTask(int value) {
      threadsPerTask = value;
      return this;
    }

    public Builder onnxRuntimeCuda(boolean value) {
      onnxRuntimeCuda = value;
      return this;
    }

    public Builder modelRoots(List<String> value) {
      modelRoots = value;
      return this;
    }

    public InferConfig build() {
      return new InferConfig(
          split,
          input,
          inputFormat,
          batchSize,
          engine,
          model,
          topK,
          threadsPerTask,
          onnxRuntimeCuda,
          modelRoots);
    }
  }
}
