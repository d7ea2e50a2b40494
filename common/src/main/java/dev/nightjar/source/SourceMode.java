package dev.nightjar.source;

/** Why a source is read: to prepare training data, or to score new data. */
public enum SourceMode {
  /** Every record needs a label; records are split into train, validation and test. */
  TRAINING,
  /**
   * Labels are optional (a record without one is {@link dev.nightjar.data.Example#UNLABELLED}),
   * classes are the model's, and every record is scored: all go to the test split.
   */
  INFERENCE
}
