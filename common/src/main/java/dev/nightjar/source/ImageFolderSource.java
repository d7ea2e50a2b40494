package dev.nightjar.source;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.config.DataConfig;
import dev.nightjar.config.PrepareConfig;
import dev.nightjar.data.Example;
import dev.nightjar.data.Split;
import dev.nightjar.io.LocalFiles;
import dev.nightjar.source.image.ImageDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder with one sub-folder of images per class (the layout of LFW and of Keras's and
 * torchvision's image folders). Classes are the sub-folders in name order. Each class gives the
 * same share of its files to the test and validation splits, chosen by a seeded shuffle, and the
 * files are packed into partitions balanced by bytes and stratified by class.
 */
public final class ImageFolderSource extends PlannedSource {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
  private static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff", "webp");

  private final DataConfig data;
  private final PrepareConfig prepare;
  private final SourceMode mode;

  public ImageFolderSource(DataConfig data, PrepareConfig prepare, SourceMode mode) {
    this.data = data;
    this.prepare = prepare;
    this.mode = mode;
  }

  /**
   * For training, the folder and its class folders, without listing the images in them: the images
   * are listed once, when the source is loaded. A source to score is planned whole.
   */
  @Override
  public void checkInputs(Configuration hadoopConf) {
    if (mode == SourceMode.INFERENCE) {
      super.checkInputs(hadoopConf);
      return;
    }
    Path root = new Path(data.source());
    try {
      FileSystem fs = root.getFileSystem(hadoopConf);
      requireFolder(fs, root);
      classFolders(fs, root);
    } catch (IOException e) {
      throw cannotList(root, e);
    }
  }

  @Override
  SourcePlan plan(Configuration hadoopConf, int partitions) {
    Path root = new Path(data.source());
    try {
      FileSystem fs = root.getFileSystem(hadoopConf);
      requireFolder(fs, root);
      if (mode == SourceMode.INFERENCE) {
        return planForScoring(fs, root, partitions);
      }
      List<FileStatus> classDirs = classFolders(fs, root);
      List<String> classNames = new ArrayList<>();
      List<ImageFile> files = new ArrayList<>();
      int skipped = 0;
      for (int label = 0; label < classDirs.size(); label++) {
        String className = classDirs.get(label).getPath().getName();
        classNames.add(className);
        List<FileStatus> images = new ArrayList<>();
        for (FileStatus status : LocalFiles.listStatus(fs, classDirs.get(label).getPath())) {
          if (status.isFile() && EXTENSIONS.contains(extension(status.getPath().getName()))) {
            images.add(status);
          } else {
            skipped++;
          }
        }
        images.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        files.addAll(assignSplits(images, className, label));
      }
      if (skipped > 0) {
        LOG.info("Skipped {} entries of {} that are not image files", skipped, root);
      }
      long totalBytes = files.stream().mapToLong(ImageFile::bytes).sum();
      ImageDecoder decoder = ImageDecoder.of(prepare.image());
      List<PartitionReader> readers = new ArrayList<>();
      for (List<ImageFile> bin : FilePacking.balanced(files, partitions, classNames.size())) {
        readers.add(new ImagePartitionReader(bin, decoder));
      }
      LOG.info(
          "Planned {} image files ({} MB) in {} classes as {} partitions",
          files.size(),
          totalBytes >> 20,
          classNames.size(),
          partitions);
      return new SourcePlan(readers, prepare.image().shape(), classNames, List.of(root.toString()));
    } catch (IOException e) {
      throw cannotList(root, e);
    }
  }

  private static void requireFolder(FileSystem fs, Path root) throws IOException {
    if (!fs.isDirectory(root)) {
      throw new ConfigException(ConfigKeys.DATA_SOURCE + ": image folder not found: " + root);
    }
  }

  /** The class folders, in name order; fewer than 2 are refused. */
  private static List<FileStatus> classFolders(FileSystem fs, Path root) throws IOException {
    List<FileStatus> classDirs = new ArrayList<>();
    for (FileStatus status : LocalFiles.listStatus(fs, root)) {
      if (status.isDirectory()
          && !status.getPath().getName().startsWith(".")
          && !status.getPath().getName().startsWith("_")) {
        classDirs.add(status);
      }
    }
    classDirs.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    if (classDirs.size() < 2) {
      throw new ConfigException(
          ConfigKeys.DATA_SOURCE
              + ": "
              + root
              + " has "
              + classDirs.size()
              + " class folders; an image source needs one sub-folder of images per class, at least 2");
    }
    return classDirs;
  }

  private static ConfigException cannotList(Path root, IOException e) {
    return new ConfigException(
        ConfigKeys.DATA_SOURCE + ": cannot list " + root + ": " + e.getMessage(), e);
  }

  /**
   * New data to score: the images directly in the folder, unlabelled, and those in sub-folders,
   * labelled when the sub-folder is named after one of the model's classes.
   */
  private SourcePlan planForScoring(FileSystem fs, Path root, int partitions) throws IOException {
    List<ImageFile> files = new ArrayList<>();
    for (FileStatus status : LocalFiles.listStatus(fs, root)) {
      String name = status.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (status.isDirectory()) {
        int label = data.classNames().indexOf(name);
        for (FileStatus image : LocalFiles.listStatus(fs, status.getPath())) {
          if (image.isFile() && EXTENSIONS.contains(extension(image.getPath().getName()))) {
            files.add(
                new ImageFile(
                    image.getPath().toString(),
                    name + "/" + image.getPath().getName(),
                    image.getLen(),
                    label < 0 ? Example.UNLABELLED : label,
                    Split.TEST));
          }
        }
      } else if (EXTENSIONS.contains(extension(name))) {
        files.add(
            new ImageFile(
                status.getPath().toString(),
                name,
                status.getLen(),
                Example.UNLABELLED,
                Split.TEST));
      }
    }
    if (files.isEmpty()) {
      throw new ConfigException(
          ConfigKeys.DATA_SOURCE
              + ": no images ("
              + EXTENSIONS
              + ") in "
              + root
              + " or its sub-folders");
    }
    files.sort((a, b) -> a.id().compareTo(b.id()));
    ImageDecoder decoder = ImageDecoder.of(prepare.image());
    List<PartitionReader> readers = new ArrayList<>();
    for (List<ImageFile> bin : FilePacking.balanced(files, partitions, data.classNames().size())) {
      readers.add(new ImagePartitionReader(bin, decoder));
    }
    LOG.info(
        "Planned {} image files to score ({} labelled) as {} partitions",
        files.size(),
        files.stream().filter(f -> f.label() != Example.UNLABELLED).count(),
        partitions);
    return new SourcePlan(
        readers, prepare.image().shape(), data.classNames(), List.of(root.toString()));
  }

  /**
   * The class's files in a seeded order: the first share is test, the next validation, the rest
   * train.
   */
  private List<ImageFile> assignSplits(List<FileStatus> images, String className, int label) {
    List<FileStatus> shuffled = new ArrayList<>(images);
    Collections.shuffle(shuffled, new Random(prepare.seed() * 31 + label));
    int test = (int) Math.round(shuffled.size() * data.testFraction());
    int validation = (int) Math.round(shuffled.size() * prepare.validationFraction());
    List<ImageFile> files = new ArrayList<>();
    for (int i = 0; i < shuffled.size(); i++) {
      Split split = i < test ? Split.TEST : i < test + validation ? Split.VALIDATION : Split.TRAIN;
      FileStatus status = shuffled.get(i);
      files.add(
          new ImageFile(
              status.getPath().toString(),
              className + "/" + status.getPath().getName(),
              status.getLen(),
              label,
              split));
    }
    return files;
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
