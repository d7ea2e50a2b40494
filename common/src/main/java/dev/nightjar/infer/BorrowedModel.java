package dev.nightjar.infer;

import dev.nightjar.model.engine.InferenceEngine;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A model a task borrowed from {@link ExecutorModelCache}: its engine is the task's alone until
 * {@link #close()} returns it. Closing twice returns it once, so a task may close it both where it
 * finishes scoring and in its completion listener.
 */
public final class BorrowedModel implements AutoCloseable {
  private final InferenceEngine engine;
  private final Consumer<InferenceEngine> giveBack;
  private final AtomicBoolean returned = new AtomicBoolean();

  BorrowedModel(InferenceEngine engine, Consumer<InferenceEngine> giveBack) {
    this.engine = engine;
    this.giveBack = giveBack;
  }

  /** The engine to score with, until the model is returned. */
  public InferenceEngine engine() {
    if (returned.get()) {
      throw new IllegalStateException("the model was returned to the cache");
    }
    return engine;
  }

  /** Returns the model to the cache. */
  @Override
  public void close() {
    if (returned.compareAndSet(false, true)) {
      giveBack.accept(engine);
    }
  }
}
