package dev.nightjar.model.engine;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The engines of one model in one JVM, lent to tasks. A thread-safe engine is shared by all; a DL4J
 * network, which is not, is copied once per concurrently running task and the copies are kept for
 * the next tasks.
 */
public abstract sealed class EnginePool implements AutoCloseable {
  /** An engine for the caller's exclusive use until {@link #release}. */
  public abstract InferenceEngine borrow();

  public abstract void release(InferenceEngine engine);

  @Override
  public abstract void close();

  public static EnginePool shared(InferenceEngine engine) {
    return new Shared(engine);
  }

  public static EnginePool copying(Dl4jEngine prototype) {
    return new Copying(prototype);
  }

  private static final class Shared extends EnginePool {
    private final InferenceEngine engine;

    Shared(InferenceEngine engine) {
      this.engine = engine;
    }

    @Override
    public InferenceEngine borrow() {
      return engine;
    }

    @Override
    public void release(InferenceEngine borrowed) {}

    @Override
    public void close() {
      engine.close();
    }
  }

  private static final class Copying extends EnginePool {
    private final Dl4jEngine prototype;
    private final Deque<Dl4jEngine> idle = new ArrayDeque<>();

    Copying(Dl4jEngine prototype) {
      this.prototype = prototype;
    }

    @Override
    public synchronized InferenceEngine borrow() {
      return idle.isEmpty() ? prototype.copy() : idle.pop();
    }

    @Override
    public synchronized void release(InferenceEngine engine) {
      idle.push((Dl4jEngine) engine);
    }

    @Override
    public synchronized void close() {
      idle.clear();
    }
  }
}
