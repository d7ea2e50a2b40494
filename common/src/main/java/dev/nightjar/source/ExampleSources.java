package dev.nightjar.source;

import dev.nightjar.config.DataConfig;
import dev.nightjar.config.PrepareConfig;

/** Picks the source that reads the configured {@code nightjar.data.format}. */
public final class ExampleSources {
  private ExampleSources() {}

  /** The source of training data: every record labelled, split into train, validation and test. */
  public static ExampleSource of(DataConfig data, PrepareConfig prepare) {
    return of(data, prepare, SourceMode.TRAINING);
  }

  /**
   * The source for {@code mode}. For {@link SourceMode#INFERENCE}, image folders and tables may be
   * unlabelled (IDX always has its labels file) and classes are the configured (the model's) ones.
   */
  public static ExampleSource of(DataConfig data, PrepareConfig prepare, SourceMode mode) {
    return switch (data.format()) {
      case IDX -> new IdxSource(data, prepare);
      case IMAGES -> new ImageFolderSource(data, prepare, mode);
      case CSV, PARQUET -> new TableSource(data, prepare, mode);
    };
  }
}
