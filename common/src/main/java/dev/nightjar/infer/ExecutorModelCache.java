package dev.nightjar.infer;

import dev.nightjar.model.ModelRef;
import dev.nightjar.model.engine.EnginePool;
import dev.nightjar.model.engine.InferenceEngine;
import dev.nightjar.model.engine.ModelLoader;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one piece of static mutable state Nightjar allows: the models loaded in this executor JVM.
 *
 * <p>A model is read from storage once per JVM and engine, then lent to tasks through its {@link
 * EnginePool}. At most {@link #MAX_MODELS} models are kept; the least recently used is dropped (and
 * closed once no task holds it).
 */
public final class ExecutorModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModelCache.class);
  static final int MAX_MODELS = 2;

  private static final Map<String, EnginePool> POOLS = new LinkedHashMap<>(4, 0.75f, true);
  private static int loads;

  private ExecutorModelCache() {}

  /** An engine for this task's exclusive use; give it back with {@link #release}. */
  public static InferenceEngine borrow(ModelRef ref, Configuration hadoopConf) {
    return pool(ref, hadoopConf).borrow();
  }

  public static void release(ModelRef ref, InferenceEngine engine) {
    EnginePool pool;
    synchronized (ExecutorModelCache.class) {
      pool = POOLS.get(ref.cacheKey());
    }
    if (pool != null) {
      pool.release(engine);
    }
  }

  /** How many times a model was read from storage in this JVM. */
  public static synchronized int loads() {
    return loads;
  }

  /** Whether this JVM holds the model, loaded on its engine, with no further read from storage. */
  public static synchronized boolean holds(ModelRef ref) {
    return POOLS.containsKey(ref.cacheKey());
  }

  /** Drops every cached model. */
  public static synchronized void invalidateAll() {
    POOLS.clear();
  }

  private static synchronized EnginePool pool(ModelRef ref, Configuration hadoopConf) {
    EnginePool pool = POOLS.get(ref.cacheKey());
    if (pool == null) {
      pool = ModelLoader.load(ref, hadoopConf);
      loads++;
      LOG.info("Loaded model {} on {} from {}", ref.version(), ref.engine().label(), ref.file());
      POOLS.put(ref.cacheKey(), pool);
      evictBeyondLimit();
    }
    return pool;
  }

  private static void evictBeyondLimit() {
    Iterator<String> eldest = POOLS.keySet().iterator();
    while (POOLS.size() > MAX_MODELS) {
      // Not closed: a running task may still hold one of its engines; the GC frees it after.
      eldest.next();
      eldest.remove();
    }
  }
}
