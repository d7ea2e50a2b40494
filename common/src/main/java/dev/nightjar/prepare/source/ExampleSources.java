package dev.nightjar.prepare.source;

import dev.nightjar.config.DataConfig;
import dev.nightjar.config.PrepareConfig;

/** Picks the source that reads the configured {@code nightjar.data.format}. */
public final class ExampleSources {
  private ExampleSources() {}

  public static ExampleSource of(DataConfig data, PrepareConfig prepare) {
    return switch (data.format()) {
      case IDX -> new IdxSource(data, prepare);
      case IMAGES -> new ImageFolderSource(data, prepare);
      case CSV, PARQUET -> new TableSource(data, prepare);
    };
  }
}
