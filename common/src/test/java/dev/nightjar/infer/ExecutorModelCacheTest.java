package dev.nightjar.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.config.EngineKind;
import dev.nightjar.model.ModelDigest;
import dev.nightjar.model.ModelRef;
import dev.nightjar.model.engine.EnginePool;
import dev.nightjar.model.engine.ModelLoader;
import dev.nightjar.onnx.DenseClassifiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor model cache on real ONNX models: native memory stays flat over many loads and
 * evictions, a model is never closed under a task, idle models are closed, and loads of different
 * models run in parallel while loads of one model happen once.
 */
class ExecutorModelCacheTest {
  private static final Configuration CONF = new Configuration();
  private static final int BATCH = 8;
  private static final float[] IMAGES = new float[BATCH * 28 * 28];
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path dir;

  private int turn;

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /**
   * Three models in turn through a cache of two: every borrow loads a model and evicts another.
   * Sessions that are not closed keep their weights in native memory, where the heap's limits do
   * not reach; this process's resident set shows them.
   */
  @Test
  void loadingAndEvictingModelsKeepsNativeMemoryFlat() throws Exception {
    List<ModelRef> models = List.of(onnx(512, 0), onnx(512, 1), onnx(512, 2));
    ExecutorModelCache cache = new ExecutorModelCache(2, NEVER, ModelLoader::load);
    for (int cycle = 0; cycle < 30; cycle++) {
      scoreNext(cache, models);
    }
    long warm = residentFloor(cache, models);
    for (int cycle = 0; cycle < 200; cycle++) {
      scoreNext(cache, models);
    }
    long end = residentFloor(cache, models);
    System.out.printf(
        "resident set after warm-up %d MB, after 200 more loads %d MB%n", warm >> 20, end >> 20);
    assertThat(cache.loads()).isEqualTo(250);
    assertThat(cache.closes()).isEqualTo(248);
    assertThat(end - warm).isLessThan(64L << 20);
  }

  @Test
  void aModelEvictedWhileBorrowedServesItsTaskAndIsClosedWhenReturned() throws Exception {
    ModelRef a = onnx(64, 10);
    ModelRef b = onnx(64, 11);
    ExecutorModelCache cache = new ExecutorModelCache(1, NEVER, ModelLoader::load);
    try (BorrowedModel first = cache.borrow(a, CONF)) {
      BorrowedModel second = cache.borrow(a, CONF);
      score(cache, b);
      assertThat(cache.holds(a)).isFalse();
      assertThat(cache.closes()).isZero();
      assertThat(first.engine().predict(IMAGES, BATCH)).hasSize(BATCH * 10);
      second.close();
      assertThat(cache.closes()).isZero();
      assertThat(first.engine().predict(IMAGES, BATCH)).hasSize(BATCH * 10);
    }
    assertThat(cache.closes()).isEqualTo(1);
    assertThat(cache.holds(b)).isTrue();
    score(cache, a);
    assertThat(cache.loads()).isEqualTo(3);
    assertThat(cache.closes()).isEqualTo(2);
  }

  @Test
  void aModelNoTaskHoldsForTheIdleTimeIsClosed() throws Exception {
    ModelRef model = onnx(64, 20);
    ExecutorModelCache cache = new ExecutorModelCache(2, Duration.ofMillis(300), ModelLoader::load);
    try (BorrowedModel borrowed = cache.borrow(model, CONF)) {
      score(cache, model);
      Thread.sleep(900);
      assertThat(borrowed.engine().predict(IMAGES, BATCH)).hasSize(BATCH * 10);
      assertThat(cache.holds(model)).isTrue();
      assertThat(cache.closes()).isZero();
    }
    long returned = System.nanoTime();
    while (cache.closes() == 0 && System.nanoTime() - returned < TimeUnit.SECONDS.toNanos(10)) {
      Thread.sleep(20);
    }
    assertThat(System.nanoTime() - returned).isGreaterThanOrEqualTo(300_000_000L);
    assertThat(cache.closes()).isEqualTo(1);
    assertThat(cache.holds(model)).isFalse();
    score(cache, model);
    assertThat(cache.loads()).isEqualTo(2);
  }

  @Test
  void aSlowLoadOfOneModelDoesNotHoldUpAnother() throws Exception {
    ModelRef slow = onnx(64, 30);
    ModelRef fast = onnx(64, 31);
    CountDownLatch slowLoading = new CountDownLatch(1);
    CountDownLatch letSlowFinish = new CountDownLatch(1);
    BiFunction<ModelRef, Configuration, EnginePool> loader =
        (ref, conf) -> {
          if (ref.equals(slow)) {
            slowLoading.countDown();
            await(letSlowFinish);
          }
          return ModelLoader.load(ref, conf);
        };
    ExecutorModelCache cache = new ExecutorModelCache(2, NEVER, loader);
    Future<?> slowTask = threads.submit(() -> score(cache, slow));
    assertThat(slowLoading.await(10, TimeUnit.SECONDS)).isTrue();

    Future<?> fastTask = threads.submit(() -> score(cache, fast));
    fastTask.get(10, TimeUnit.SECONDS);
    assertThat(cache.holds(fast)).isTrue();
    assertThat(cache.holds(slow)).isFalse();
    assertThat(slowTask).isNotDone();

    letSlowFinish.countDown();
    slowTask.get(10, TimeUnit.SECONDS);
    assertThat(cache.holds(slow)).isTrue();
    assertThat(cache.loads()).isEqualTo(2);
  }

  @Test
  void aModelManyTasksAskForAtOnceIsLoadedOnce() throws Exception {
    ModelRef model = onnx(64, 40);
    AtomicInteger loaderCalls = new AtomicInteger();
    BiFunction<ModelRef, Configuration, EnginePool> loader =
        (ref, conf) -> {
          loaderCalls.incrementAndGet();
          sleep(300);
          return ModelLoader.load(ref, conf);
        };
    ExecutorModelCache cache = new ExecutorModelCache(2, NEVER, loader);
    int tasks = 8;
    CyclicBarrier start = new CyclicBarrier(tasks);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      running.add(
          threads.submit(
              () -> {
                start.await(10, TimeUnit.SECONDS);
                score(cache, model);
                return null;
              }));
    }
    for (Future<?> task : running) {
      task.get(20, TimeUnit.SECONDS);
    }
    assertThat(loaderCalls).hasValue(1);
    assertThat(cache.loads()).isEqualTo(1);
    assertThat(cache.closes()).isZero();
  }

  @Test
  void aFailedLoadFailsEveryTaskWaitingForItAndIsTriedAgainLater() throws Exception {
    ModelRef model = onnx(64, 50);
    AtomicInteger loaderCalls = new AtomicInteger();
    BiFunction<ModelRef, Configuration, EnginePool> loader =
        (ref, conf) -> {
          if (loaderCalls.incrementAndGet() == 1) {
            throw new IllegalStateException("storage down");
          }
          return ModelLoader.load(ref, conf);
        };
    ExecutorModelCache cache = new ExecutorModelCache(2, NEVER, loader);
    assertThatThrownBy(() -> cache.borrow(model, CONF)).hasMessage("storage down");
    assertThat(cache.holds(model)).isFalse();
    score(cache, model);
    assertThat(cache.holds(model)).isTrue();
    assertThat(cache.loads()).isEqualTo(1);
  }

  /** Scores with the models in turn, each borrow loading one. */
  private void scoreNext(ExecutorModelCache cache, List<ModelRef> models) {
    score(cache, models.get(turn++ % models.size()));
  }

  private static void score(ExecutorModelCache cache, ModelRef model) {
    try (BorrowedModel borrowed = cache.borrow(model, CONF)) {
      assertThat(borrowed.engine().predict(IMAGES, BATCH)).hasSize(BATCH * 10);
    }
  }

  private ModelRef onnx(int hidden, long seed) throws IOException {
    byte[] bytes = DenseClassifiers.model(hidden, seed);
    Path file = Files.write(dir.resolve("dense-" + hidden + "-" + seed + ".onnx"), bytes);
    return new ModelRef(
        file.toUri().toString(),
        ModelDigest.sha256(bytes),
        "dense-" + seed,
        EngineKind.ONNXRUNTIME,
        DenseClassifiers.IMAGE_SHAPE,
        DenseClassifiers.CLASSES,
        1,
        false);
  }

  /**
   * The least resident set seen over ten more loads: the heap and the native allocator grow and
   * shrink by tens of megabytes from one moment to the next, while memory that is never freed
   * raises the floor.
   */
  private long residentFloor(ExecutorModelCache cache, List<ModelRef> models) throws IOException {
    long floor = Long.MAX_VALUE;
    for (int cycle = 0; cycle < 10; cycle++) {
      scoreNext(cache, models);
      System.gc();
      floor = Math.min(floor, residentBytes());
    }
    return floor;
  }

  /** This process's resident set, from /proc: native memory included, which the heap hides. */
  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the load finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
