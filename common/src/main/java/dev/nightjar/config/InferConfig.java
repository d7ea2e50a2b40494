package dev.nightjar.config;

import dev.nightjar.data.Split;
import java.io.Serializable;

/** What the infer stage scores and in which batch size. */
public record InferConfig(Split split, int batchSize) implements Serializable {

  public InferConfig {
    Checks.atLeast(1, batchSize, ConfigKeys.INFER_BATCH_SIZE);
  }
}
