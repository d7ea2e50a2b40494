package dev.nightjar.infer;

import dev.nightjar.data.PreparedData;
import dev.nightjar.data.Split;

/** What the infer stage scores: a split of the prepared examples, or new data. */
public sealed interface InferInput permits InferInput.PreparedSplit, NewData {
  /** One split of the examples table of a prepare output. */
  record PreparedSplit(PreparedData prepared, Split split) implements InferInput {}
}
