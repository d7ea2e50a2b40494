package dev.nightjar.infer;

import dev.nightjar.model.ModelRef;
import dev.nightjar.model.engine.EnginePool;
import dev.nightjar.model.engine.InferenceEngine;
import dev.nightjar.model.engine.ModelLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models loaded in this executor JVM, lent to its tasks. {@link #jvm()} is the one piece of
 * static mutable state Nightjar allows.
 *
 * <p>A task borrows a model with {@link #borrow} and returns it by closing the {@link
 * BorrowedModel}. A model is read from storage once per JVM and engine: the first task to ask for
 * it loads it, outside any lock the cache holds, so models load in parallel, while further tasks
 * asking for the same model wait for that one load. Each model counts its borrowers, and its native
 * memory (an ONNX Runtime session, its tensors) is freed only when none is left:
 *
 * <ul>
 *   <li>at most {@link #MAX_MODELS} models are kept; loading another drops the least recently used,
 *       which is closed at once, or, when tasks hold it, when the last of them returns it;
 *   <li>a model no task has held for {@link #IDLE} is closed and dropped.
 * </ul>
 */
public final class ExecutorModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModelCache.class);
  static final int MAX_MODELS = 2;
  static final Duration IDLE = Duration.ofSeconds(60);

  private static final ExecutorModelCache JVM =
      new ExecutorModelCache(MAX_MODELS, IDLE, ModelLoader::load);

  /** Runs the idle checks; its thread ends when none is pending. */
  private static final ScheduledThreadPoolExecutor IDLE_CHECKS = idleChecks();

  private final int maxModels;
  private final long idleNanos;
  private final BiFunction<ModelRef, Configuration, EnginePool> loader;

  /** By cache key, least recently borrowed first; guarded by {@code this}. */
  private final Map<String, Entry> entries = new LinkedHashMap<>(4, 0.75f, true);

  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger closes = new AtomicInteger();

  /**
   * @param loader reads a model from storage into its engines; called outside the cache's lock
   */
  ExecutorModelCache(
      int maxModels, Duration idle, BiFunction<ModelRef, Configuration, EnginePool> loader) {
    if (maxModels < 1) {
      throw new IllegalArgumentException("a cache holds at least one model, not " + maxModels);
    }
    this.maxModels = maxModels;
    this.idleNanos = idle.toNanos();
    this.loader = loader;
  }

  /** This JVM's cache. */
  public static ExecutorModelCache jvm() {
    return JVM;
  }

  /**
   * The model, loaded on its engine, with an engine for this task's exclusive use until the
   * returned handle is closed.
   *
   * @throws RuntimeException what loading the model threw, in every task that waited for it
   */
  public BorrowedModel borrow(ModelRef ref, Configuration hadoopConf) {
    Entry entry;
    boolean loadHere;
    List<Entry> evicted = new ArrayList<>();
    synchronized (this) {
      Entry cached = entries.get(ref.cacheKey());
      loadHere = cached == null;
      entry = loadHere ? new Entry(ref) : cached;
      if (loadHere) {
        entries.put(ref.cacheKey(), entry);
        evictBeyondLimit(evicted);
      }
      entry.borrowers++;
    }
    evicted.forEach(this::close);
    return lend(entry, loadHere, hadoopConf);
  }

  private BorrowedModel lend(Entry entry, boolean loadHere, Configuration hadoopConf) {
    try {
      if (loadHere) {
        load(entry, hadoopConf);
      }
      EnginePool pool = entry.pool();
      return new BorrowedModel(pool.borrow(), engine -> giveBack(entry, pool, engine));
    } catch (RuntimeException | Error e) {
      giveBack(entry, null, null);
      throw e;
    }
  }

  /** How many times a model was read from storage through this cache. */
  public int loads() {
    return loads.get();
  }

  /** How many models this cache closed. */
  int closes() {
    return closes.get();
  }

  /**
   * Whether this cache holds the model, loaded on its engine, with no further read from storage.
   */
  public synchronized boolean holds(ModelRef ref) {
    Entry entry = entries.get(ref.cacheKey());
    return entry != null && entry.loaded();
  }

  /** Drops every model: each is closed now, or when the last task holding it returns it. */
  public void invalidateAll() {
    List<Entry> dropped = new ArrayList<>();
    synchronized (this) {
      for (Entry entry : entries.values()) {
        drop(entry, dropped);
      }
      entries.clear();
    }
    dropped.forEach(this::close);
  }

  private void load(Entry entry, Configuration hadoopConf) {
    ModelRef ref = entry.ref;
    EnginePool pool;
    try {
      pool = loader.apply(ref, hadoopConf);
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        entries.remove(ref.cacheKey(), entry);
        entry.dropped = true;
      }
      entry.pool.completeExceptionally(e);
      throw e;
    }
    loads.incrementAndGet();
    LOG.info("Loaded model {} on {} from {}", ref.version(), ref.engine().label(), ref.file());
    entry.pool.complete(pool);
  }

  /** One borrower fewer: closes the model if it was dropped, or plans its idle check. */
  private void giveBack(Entry entry, EnginePool pool, InferenceEngine engine) {
    if (engine != null) {
      pool.release(engine);
    }
    boolean close = false;
    synchronized (this) {
      entry.borrowers--;
      entry.lastReturned = System.nanoTime();
      if (entry.borrowers == 0) {
        if (entry.dropped) {
          close = !entry.closed;
          entry.closed = true;
        } else if (!entry.idleCheckPending) {
          scheduleIdleCheck(entry, idleNanos);
        }
      }
    }
    if (close) {
      close(entry);
    }
  }

  private void checkIdle(Entry entry) {
    synchronized (this) {
      entry.idleCheckPending = false;
      if (entry.dropped || entry.borrowers > 0) {
        // A dropped model is closed by its last borrower; a borrowed one is checked again when
        // returned.
        return;
      }
      long idleFor = System.nanoTime() - entry.lastReturned;
      if (idleFor < idleNanos) {
        scheduleIdleCheck(entry, idleNanos - idleFor);
        return;
      }
      entries.remove(entry.ref.cacheKey(), entry);
      entry.dropped = true;
      entry.closed = true;
    }
    LOG.info("Closing model {}: unused for {} ms", entry.ref.version(), idleNanos / 1_000_000L);
    close(entry);
  }

  private void scheduleIdleCheck(Entry entry, long delayNanos) {
    entry.idleCheckPending = true;
    IDLE_CHECKS.schedule(() -> checkIdle(entry), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void evictBeyondLimit(List<Entry> closeNow) {
    Iterator<Entry> eldest = entries.values().iterator();
    while (entries.size() > maxModels) {
      Entry entry = eldest.next();
      eldest.remove();
      drop(entry, closeNow);
    }
  }

  /** Marks a model dropped from the cache; collects it when no task holds it. */
  private static void drop(Entry entry, List<Entry> closeNow) {
    entry.dropped = true;
    if (entry.borrowers == 0 && !entry.closed) {
      entry.closed = true;
      closeNow.add(entry);
    }
  }

  /** Closes a model no task holds any more, outside the cache's lock. */
  private void close(Entry entry) {
    if (entry.loaded()) {
      closes.incrementAndGet();
      entry.pool.join().close();
    }
  }

  private static ScheduledThreadPoolExecutor idleChecks() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "nightjar-model-cache-idle");
              thread.setDaemon(true);
              return thread;
            });
    executor.setKeepAliveTime(10, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** One model in the cache; its counters are guarded by the cache. */
  private static final class Entry {
    final ModelRef ref;
    final CompletableFuture<EnginePool> pool = new CompletableFuture<>();
    int borrowers;
    long lastReturned;
    boolean dropped;
    boolean closed;
    boolean idleCheckPending;

    Entry(ModelRef ref) {
      this.ref = ref;
    }

    boolean loaded() {
      return pool.isDone() && !pool.isCompletedExceptionally();
    }

    /** The loaded model, waiting for the task that loads it. */
    EnginePool pool() {
      try {
        return pool.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        if (e.getCause() instanceof Error cause) {
          throw cause;
        }
        throw e;
      }
    }
  }
}
