package dev.nightjar.source;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.DataConfig;
import dev.nightjar.io.IdxHeader;
import dev.nightjar.io.IdxReader;
import dev.nightjar.io.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The checked IDX inputs of a prepare run: the files exist, their headers agree, and the training
 * labels are read (they are small) so the driver can plan a stratified validation split.
 */
public record IdxInputs(
    IdxSourceFile train, IdxSourceFile test, int[] imageShape, byte[] trainLabels) {
  private static final int INITIAL_LABELS = 1 << 16;

  /**
   * Locates and checks the four files. Missing files fail as configuration errors, naming the path.
   */
  public static IdxInputs open(DataConfig data, Configuration hadoopConf) {
    String trainImages =
        locate(data.source(), data.trainImages(), ConfigKeys.DATA_TRAIN_IMAGES, hadoopConf);
    String trainLabels =
        locate(data.source(), data.trainLabels(), ConfigKeys.DATA_TRAIN_LABELS, hadoopConf);
    String testImages =
        locate(data.source(), data.testImages(), ConfigKeys.DATA_TEST_IMAGES, hadoopConf);
    String testLabels =
        locate(data.source(), data.testLabels(), ConfigKeys.DATA_TEST_LABELS, hadoopConf);
    try {
      IdxHeader trainImageHeader = header(trainImages, hadoopConf);
      IdxHeader testImageHeader = header(testImages, hadoopConf);
      int[] shape = imageShape(trainImageHeader);
      if (!java.util.Arrays.equals(shape, imageShape(testImageHeader))) {
        throw new InputException(
            testImageHeader.file()
                + ": images of "
                + java.util.Arrays.toString(imageShape(testImageHeader))
                + " do not match the training images of "
                + java.util.Arrays.toString(shape));
      }
      int trainCount =
          limited(trainImageHeader, header(trainLabels, hadoopConf), data.trainLimit());
      int testCount = limited(testImageHeader, header(testLabels, hadoopConf), data.testLimit());
      byte[] labels = readLabels(trainLabels, trainCount, data.numClasses(), hadoopConf);
      return new IdxInputs(
          new IdxSourceFile(stem(data.trainImages()), trainImages, trainLabels, trainCount),
          new IdxSourceFile(stem(data.testImages()), testImages, testLabels, testCount),
          shape,
          labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> uris() {
    return List.of(train.images(), train.labels(), test.images(), test.labels());
  }

  private static String locate(String source, String file, String key, Configuration conf) {
    Path path = new Path(new Path(source), file);
    try {
      if (!path.getFileSystem(conf).isFile(path)) {
        throw new ConfigException(
            key
                + ": input file not found: "
                + path
                + " (set "
                + ConfigKeys.DATA_SOURCE
                + " or --data to the folder holding the IDX files)");
      }
    } catch (IOException e) {
      throw new ConfigException(key + ": cannot read " + path + ": " + e.getMessage(), e);
    }
    return path.toString();
  }

  private static IdxHeader header(String uri, Configuration conf) throws IOException {
    try (IdxReader reader = IdxReader.open(uri, conf)) {
      return reader.header();
    }
  }

  private static int[] imageShape(IdxHeader images) {
    int[] dims = images.dimensions();
    return switch (dims.length) {
      case 3 -> new int[] {1, dims[1], dims[2]};
      case 4 -> new int[] {dims[3], dims[1], dims[2]};
      default ->
          throw new InputException(
              images.file() + ": expected images of rank 3 or 4, found rank " + dims.length);
    };
  }

  private static int limited(IdxHeader images, IdxHeader labels, int limit) {
    if (labels.dimensions().length != 1) {
      throw new InputException(
          labels.file() + ": expected labels of rank 1, found rank " + labels.dimensions().length);
    }
    if (images.recordCount() != labels.recordCount()) {
      throw new InputException(
          images.file()
              + " has "
              + images.recordCount()
              + " images but "
              + labels.file()
              + " has "
              + labels.recordCount()
              + " labels");
    }
    return limit > 0 ? Math.min(limit, images.recordCount()) : images.recordCount();
  }

  /**
   * The first {@code count} labels. The count, from the header, is checked against the file's
   * length, and the array grows with what is read: a lying header cannot make the driver allocate.
   */
  private static byte[] readLabels(String uri, int count, int numClasses, Configuration conf)
      throws IOException {
    Path path = new Path(uri);
    long fileBytes = path.getFileSystem(conf).getFileStatus(path).getLen();
    byte[] labels = new byte[Math.min(count, INITIAL_LABELS)];
    byte[] one = new byte[1];
    try (IdxReader reader = IdxReader.open(uri, conf)) {
      reader.checkLength(fileBytes);
      for (int i = 0; i < count; i++) {
        reader.readRecord(one);
        if (i == labels.length) {
          labels = Arrays.copyOf(labels, (int) Math.min(count, 2L * labels.length));
        }
        // A label beyond the classes is quarantined by the partition reader; here it only must not
        // break the split plan.
        if ((one[0] & 0xFF) >= numClasses) {
          one[0] = 0;
        }
        labels[i] = one[0];
      }
    }
    return labels;
  }

  private static String stem(String fileName) {
    int dash = fileName.indexOf('-');
    return dash > 0 ? fileName.substring(0, dash) : fileName.replaceAll("\\..*$", "");
  }
}
