package dev.nightjar.infer;

import dev.nightjar.model.ModelStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one piece of static mutable state Nightjar allows: the models loaded in this executor JVM.
 *
 * <p>A model is read from storage once per JVM. DL4J networks are not safe to call from two
 * threads, so each concurrently running task borrows its own copy (cloned from the first) and
 * returns it when done; the copies are kept for the next tasks. At most {@link #MAX_MODELS} models
 * are kept; the least recently used is dropped.
 */
public final class ExecutorModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModelCache.class);
  static final int MAX_MODELS = 2;

  private static final Map<String, Deque<MultiLayerNetwork>> IDLE = new LinkedHashMap<>(4, 0.75f, true);
  private static final Map<String, MultiLayerNetwork> PROTOTYPES = new LinkedHashMap<>(4, 0.75f, true);
  private static int loads;

  private ExecutorModelCache() {}

  /** A network for this task's exclusive use; give it back with {@link #release}. */
  public static synchronized MultiLayerNetwork borrow(ModelRef ref, Configuration hadoopConf) {
    Deque<MultiLayerNetwork> idle = IDLE.computeIfAbsent(ref.sha256(), k -> new ArrayDeque<>());
    if (!idle.isEmpty()) {
      return idle.pop();
    }
    MultiLayerNetwork prototype = PROTOTYPES.get(ref.sha256());
    if (prototype == null) {
      prototype = ModelStore.loadNetwork(hadoopConf, new Path(ref.dir()));
      loads++;
      LOG.info("Loaded model {} from {}", ref.version(), ref.dir());
      PROTOTYPES.put(ref.sha256(), prototype);
      evictBeyondLimit();
      return prototype.clone();
    }
    return prototype.clone();
  }

  public static synchronized void release(ModelRef ref, MultiLayerNetwork network) {
    if (PROTOTYPES.containsKey(ref.sha256())) {
      IDLE.computeIfAbsent(ref.sha256(), k -> new ArrayDeque<>()).push(network);
    }
  }

  /** How many times a model was read from storage in this JVM. */
  public static synchronized int loads() {
    return loads;
  }

  /** Drops every cached model. */
  public static synchronized void invalidateAll() {
    PROTOTYPES.clear();
    IDLE.clear();
  }

  private static void evictBeyondLimit() {
    while (PROTOTYPES.size() > MAX_MODELS) {
      String eldest = PROTOTYPES.keySet().iterator().next();
      PROTOTYPES.remove(eldest);
      IDLE.remove(eldest);
    }
  }
}
