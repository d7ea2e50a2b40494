package dev.nightjar.model.zoo;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.model.ModelInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The networks Nightjar can train, by config name. */
public final class ModelZoo {
  private static final Map<String, Architecture> ARCHITECTURES = new LinkedHashMap<>();

  static {
    for (Architecture architecture :
        List.<Architecture>of(new FashionCnn(), new LeNet(), new SeparableCnn(), new TinyCnn())) {
      ARCHITECTURES.put(architecture.name(), architecture);
    }
  }

  private ModelZoo() {}

  public static Architecture architecture(String name) {
    Architecture architecture = ARCHITECTURES.get(name);
    if (architecture == null) {
      throw ConfigException.badValue(
          ConfigKeys.TRAIN_MODEL, name, "expected one of " + ARCHITECTURES.keySet());
    }
    return architecture;
  }

  /** A freshly initialised network. */
  public static MultiLayerNetwork create(
      String name, ModelInput input, double learningRate, long seed) {
    MultiLayerNetwork network =
        new MultiLayerNetwork(architecture(name).configuration(input, learningRate, seed));
    network.init();
    return network;
  }
}
