package dev.nightjar.config;

import java.io.Serializable;
import java.util.List;

/** Where the IDX source files are, and how much of them to use. */
public record DataConfig(
    String source,
    String trainImages,
    String trainLabels,
    String testImages,
    String testLabels,
    int trainLimit,
    int testLimit,
    List<String> classNames)
    implements Serializable {

  public DataConfig {
    Checks.nonEmpty(source, ConfigKeys.DATA_SOURCE);
    Checks.nonEmpty(trainImages, ConfigKeys.DATA_TRAIN_IMAGES);
    Checks.nonEmpty(trainLabels, ConfigKeys.DATA_TRAIN_LABELS);
    Checks.nonEmpty(testImages, ConfigKeys.DATA_TEST_IMAGES);
    Checks.nonEmpty(testLabels, ConfigKeys.DATA_TEST_LABELS);
    Checks.atLeast(0, trainLimit, ConfigKeys.DATA_TRAIN_LIMIT);
    Checks.atLeast(0, testLimit, ConfigKeys.DATA_TEST_LIMIT);
    if (classNames.size() < 2) {
      throw ConfigException.badValue(ConfigKeys.DATA_CLASS_NAMES, classNames, "needs at least 2 classes");
    }
    classNames = List.copyOf(classNames);
  }

  public int numClasses() {
    return classNames.size();
  }
}
