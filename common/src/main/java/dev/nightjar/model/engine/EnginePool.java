package dev.nightjar.model.engine;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The engines of one model in one JVM, lent to tasks. An ONNX Runtime session is shared by all,
 * each borrower scoring through a lease with tensors of its own; a DL4J network, which is not
 * thread-safe, is copied once per concurrently running task. Returned leases and copies are kept
 * for the next tasks, so a pool holds at most as many as tasks ran at once, until it is closed.
 */
public abstract sealed class EnginePool implements AutoCloseable {
  /** An engine for the caller's exclusive use until {@link #release}. */
  public abstract InferenceEngine borrow();

  public abstract void release(InferenceEngine engine);

  /** Frees the model and every engine lent from it; none may be in use. */
  @Override
  public abstract void close();

  public static EnginePool leasing(OnnxRuntimeEngine engine) {
    return new Leasing(engine);
  }

  public static EnginePool copying(Dl4jEngine prototype) {
    return new Copying(prototype);
  }

  private static final class Leasing extends EnginePool {
    private final OnnxRuntimeEngine engine;
    private final Deque<OnnxRuntimeEngine.Lease> idle = new ArrayDeque<>();

    Leasing(OnnxRuntimeEngine engine) {
      this.engine = engine;
    }

    @Override
    public synchronized InferenceEngine borrow() {
      return idle.isEmpty() ? engine.lease() : idle.pop();
    }

    @Override
    public synchronized void release(InferenceEngine lease) {
      idle.push((OnnxRuntimeEngine.Lease) lease);
    }

    @Override
    public synchronized void close() {
      idle.forEach(OnnxRuntimeEngine.Lease::close);
      idle.clear();
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
