package dev.nightjar.config;

import java.io.Serializable;
import java.util.List;

/**
 * What the source data is, where it is, and how much of it to use.
 *
 * @param format {@code idx} (four IDX files), {@code images} (one sub-folder of images per class),
 *     {@code csv} or {@code parquet} (a table with a label column)
 * @param labelColumn the label column of a table
 * @param imageColumn a table's column of encoded images (base64 in CSV); empty means the features
 *     are the other columns, numbers 0 to 255, one per pixel
 * @param testFraction share of each class held out as the test split, for sources without a test
 *     set
 */
public record DataConfig(
    Format format,
    String source,
    double testFraction,
    String labelColumn,
    String imageColumn,
    String trainImages,
    String trainLabels,
    String testImages,
    String testLabels,
    int trainLimit,
    int testLimit,
    List<String> classNames)
    implements Serializable {

  /** The kinds of source the prepare stage reads. */
  public enum Format {
    IDX,
    IMAGES,
    CSV,
    PARQUET;

    /**
     * @param key the key the text was read from, named in the error
     */
    public static Format parse(String text, String key) {
      for (Format format : values()) {
        if (format.name().equalsIgnoreCase(text.trim())) {
          return format;
        }
      }
      throw ConfigException.badValue(key, text, "expected idx, images, csv or parquet");
    }
  }

  public DataConfig {
    Checks.nonEmpty(source, ConfigKeys.DATA_SOURCE);
    Checks.inRange(0.0, 0.5, testFraction, ConfigKeys.DATA_TEST_FRACTION);
    Checks.nonEmpty(trainImages, ConfigKeys.DATA_TRAIN_IMAGES);
    Checks.nonEmpty(trainLabels, ConfigKeys.DATA_TRAIN_LABELS);
    Checks.nonEmpty(testImages, ConfigKeys.DATA_TEST_IMAGES);
    Checks.nonEmpty(testLabels, ConfigKeys.DATA_TEST_LABELS);
    Checks.atLeast(0, trainLimit, ConfigKeys.DATA_TRAIN_LIMIT);
    Checks.atLeast(0, testLimit, ConfigKeys.DATA_TEST_LIMIT);
    if (classNames.size() < 2) {
      throw ConfigException.badValue(
          ConfigKeys.DATA_CLASS_NAMES, classNames, "needs at least 2 classes");
    }
    classNames = List.copyOf(classNames);
  }

  /** The same settings for another data set, e.g. new data to score. */
  public DataConfig withSource(Format newFormat, String newSource) {
    return new DataConfig(
        newFormat,
        newSource,
        testFraction,
        labelColumn,
        imageColumn,
        trainImages,
        trainLabels,
        testImages,
        testLabels,
        trainLimit,
        testLimit,
        classNames);
  }

  public int numClasses() {
    return classNames.size();
  }

  /** A builder starting from {@code reference.conf}'s defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One named setter per setting; {@link #build()} checks them. */
  public static final class Builder {
    private Format format = Format.IDX;
    private String source = "/usr/share/datasets/fashion-mnist";
    private double testFraction = 0.1;
    private String labelColumn = "label";
    private String imageColumn = "";
    private String trainImages = "train-images-idx3-ubyte.gz";
    private String trainLabels = "train-labels-idx1-ubyte.gz";
    private String testImages = "t10k-images-idx3-ubyte.gz";
    private String testLabels = "t10k-labels-idx1-ubyte.gz";
    private int trainLimit = 0;
    private int testLimit = 0;
    private List<String> classNames =
        List.of(
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot");

    private Builder() {}

    public Builder format(Format value) {
      format = value;
      return this;
    }

    public Builder source(String value) {
      source = value;
      return this;
    }

    public Builder testFraction(double value) {
      testFraction = value;
      return this;
    }

    public Builder labelColumn(String value) {
      labelColumn = value;
      return this;
    }

    public Builder imageColumn(String value) {
      imageColumn = value;
      return this;
    }

    public Builder trainImages(String value) {
      trainImages = value;
      return this;
    }

    public Builder trainLabels(String value) {
      trainLabels = value;
      return this;
    }

    public Builder testImages(String value) {
      testImages = value;
      return this;
    }

    public Builder testLabels(String value) {
      testLabels = value;
      return this;
    }

    public Builder trainLimit(int value) {
      trainLimit = value;
      return this;
    }

    public Builder testLimit(int value) {
      testLimit = value;
      return this;
    }

    public Builder classNames(List<String> value) {
      classNames = value;
      return this;
    }

    public DataConfig build() {
      return new DataConfig(
          format,
          source,
          testFraction,
          labelColumn,
          imageColumn,
          trainImages,
          trainLabels,
          testImages,
          testLabels,
          trainLimit,
          testLimit,
          classNames);
    }
  }
}
