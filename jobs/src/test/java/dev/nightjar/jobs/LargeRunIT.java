package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.Nightjar;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.NightjarConfig;
import dev.nightjar.data.DataManifest;
import dev.nightjar.data.Split;
import dev.nightjar.io.JsonFiles;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.testing.FashionMnist;
import dev.nightjar.testing.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty times the default data on two cores with bounded memory: 1.2 million training images
 * augmented from Fashion-MNIST's 60,000 ({@code prepare.augment.copies = 20}), prepared and then
 * every one of them scored. Each stage is submitted through {@code submit/nightjar-submit.sh} as
 * its own driver JVM in {@code local[2]}, with explicit heap, direct and ND4J off-heap limits. The
 * same stages run on the data once ({@code copies = 1}, another run date, the same served model
 * through the registry), and the heap live at once (after full collections) at 20x stays within a
 * bounded growth of 1x's: memory does not grow with the data. Resident sets stay under ND4J's
 * physical limit. The peaks are printed for the record.
 */
@Tag("faults")
@ExtendWith(SparkTestSession.class)
class LargeRunIT {
  private static final String DATE = "2026-04-01";
  private static final String ONCE_DATE = "2026-04-02";
  private static final int COPIES = 20;

  /**
   * The live heap at 20x may exceed 1x's by this factor plus {@link #LIVE_HEAP_SLACK_BYTES}: room
   * for a larger manifest and task scheduling, far below what holding the data would take (1.2
   * million 28x28 images are 3.8 GB as floats).
   */
  private static final double LIVE_HEAP_GROWTH = 1.5;

  private static final long LIVE_HEAP_SLACK_BYTES = 128L << 20;
  private static final long TRAIN_IMAGES = 60_000L * COPIES;
  private static final long TEST_IMAGES = 10_000;

  /**
   * The driver's heap; the script derives ND4J's limits from it (maxbytes 2G, maxphysicalbytes 5G).
   */
  private static final String DRIVER_MEMORY = "2g";

  private static final String DIRECT_MEMORY = "1g";

  @TempDir java.nio.file.Path work;

  private record Run(
      String stage, String date, int exitCode, double seconds, JvmMemory memory, String log) {}

  @Test
  void preparesAndScoresTwentyTimesTheDataWithinItsMemoryLimits(SparkSession spark)
      throws Exception {
    java.nio.file.Path output = work.resolve("output");
    String servingVersion = trainServingModel(spark, output);

    Run prepareOnce = prepare(ONCE_DATE, 1);
    Run inferOnce =
        submit(
            "infer",
            ONCE_DATE,
            "--conf",
            "infer.split=train",
            "--conf",
            "infer.model=" + servingVersion);
    Run prepare = prepare(DATE, COPIES);
    OutputLayout layout =
        new OutputLayout(output.toUri().toString(), java.time.LocalDate.parse(DATE));
    DataManifest manifest =
        JsonFiles.read(
            spark.sparkContext().hadoopConfiguration(),
            new Path(
                PublishedOutputs.resolve(
                    spark.sparkContext().hadoopConfiguration(), layout, layout.prepared()),
                OutputLayout.MANIFEST),
            DataManifest.class);
    assertThat(manifest.count(Split.TRAIN)).isEqualTo(TRAIN_IMAGES);
    assertThat(manifest.count(Split.TEST)).isEqualTo(TEST_IMAGES);

    Run infer = submit("infer", DATE, "--conf", "infer.split=train");
    Row predictions =
        spark
            .read()
            .parquet(
                PublishedOutputs.resolve(
                        spark.sparkContext().hadoopConfiguration(), layout, layout.predictions())
                    .toString())
            .selectExpr("count(*)", "count(distinct id)")
            .first();
    assertThat(predictions.getLong(0)).isEqualTo(TRAIN_IMAGES);
    assertThat(predictions.getLong(1)).isEqualTo(TRAIN_IMAGES);

    report(List.of(prepareOnce, inferOnce, prepare, infer));
    assertLiveHeapBounded(prepareOnce, prepare);
    assertLiveHeapBounded(inferOnce, infer);
    for (Run run : List.of(prepare, infer)) {
      JvmMemory memory = run.memory();
      assertThat(memory.rssPeakBytes())
          .as("%s: resident set at its peak", run.stage())
          .isPositive()
          .isLessThan(memory.limitBytes("-Dorg.bytedeco.javacpp.maxphysicalbytes"));
    }
  }

  /** The heap live at once in {@code large}, at 20x, grew by a bounded amount over {@code once}. */
  private static void assertLiveHeapBounded(Run once, Run large) throws Exception {
    for (Run run : List.of(once, large)) {
      assertThat(run.memory().forcedFullCollections())
          .as("%s on %s: full collections forced while it ran", run.stage(), run.date())
          .isGreaterThanOrEqualTo(2);
    }
    long onceLive = once.memory().liveHeapPeakBytes();
    assertThat(large.memory().liveHeapPeakBytes())
        .as("%s: live heap at %dx against %d MB at 1x", large.stage(), COPIES, onceLive >> 20)
        .isPositive()
        .isLessThan((long) (onceLive * LIVE_HEAP_GROWTH) + LIVE_HEAP_SLACK_BYTES);
  }

  /** Prepares Fashion-MNIST for {@code date} with {@code copies} augmented copies of each image. */
  private Run prepare(String date, int copies) throws Exception {
    return submit(
        "prepare",
        date,
        "--data",
        FashionMnist.dir(),
        "--conf",
        "prepare.augment.enabled=true",
        "--conf",
        "prepare.augment.copies=" + copies,
        "--conf",
        "prepare.validation-fraction=0",
        // Forty source partitions: each task holds 1,500 images and writes their copies (30,000 at
        // 20x).
        "--conf",
        "prepare.partitions=40");
  }

  /**
   * The night's serving model, trained briefly on a slice in this JVM: training at 20x is not what
   * is measured. Returns the version the registry holds it as.
   */
  private static String trainServingModel(SparkSession spark, java.nio.file.Path output) {
    NightjarConfig slice =
        ConfigLoader.fromOverrides(
            "output-root=" + output.toUri(),
            "run-date=" + DATE,
            "run-id=model",
            "data.source=" + FashionMnist.dir(),
            "data.train-limit=2000",
            "data.test-limit=500",
            "train.model=tiny-cnn",
            "train.epochs=1",
            "optimize.variants=[int8]",
            "optimize.architectures=[]",
            "optimize.latency-runs=10",
            "optimize.throughput-seconds=0.05",
            "optimize.calibration-images=200");
    Nightjar.prepare(spark, slice).execute();
    Nightjar.train(spark, slice).execute();
    return Nightjar.optimize(spark, slice).execute().serving().version();
  }

  /**
   * Submits a stage for the night in local[2] with the memory limits, and watches its JVM until it
   * ends.
   */
  private Run submit(String stage, String date, String... stageArgs) throws Exception {
    java.nio.file.Path gcLog = work.resolve(stage + "-" + date + "-gc.log");
    java.nio.file.Path log = work.resolve(stage + "-" + date + ".log");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--profile",
                "local",
                "--master",
                "local[2]",
                "--driver-memory",
                DRIVER_MEMORY,
                "--spark-conf",
                "spark.eventLog.enabled=false",
                stage,
                "--output",
                work.resolve("output").toString(),
                "--date",
                date));
    args.addAll(List.of(stageArgs));
    long start = System.nanoTime();
    SubmittedJob job =
        SubmittedJob.start(
            log,
            args,
            Map.of(
                "JAVA_TOOL_OPTIONS",
                "-XX:MaxDirectMemorySize=" + DIRECT_MEMORY + " " + JvmMemory.gcLogging(gcLog)));
    JvmMemory memory = JvmMemory.watch(job.process(), gcLog);
    int exitCode = job.await(15);
    Run run = new Run(stage, date, exitCode, (System.nanoTime() - start) / 1e9, memory, job.log());
    assertThat(exitCode).as("%s exit code; log:%n%s", stage, run.log()).isZero();
    return run;
  }

  private static void report(List<Run> runs) throws Exception {
    System.out.printf(
        "%-8s %-10s %10s %10s %13s %10s  %s%n",
        "stage", "date", "wall time", "heap peak", "live heap peak", "RSS peak", "limits");
    for (Run run : runs) {
      JvmMemory memory = run.memory();
      System.out.printf(
          "%-8s %-10s %8.1f s %7d MB %10d MB %7d MB  %s%n",
          run.stage(),
          run.date(),
          run.seconds(),
          memory.heapPeakBytes() >> 20,
          memory.liveHeapPeakBytes() >> 20,
          memory.rssPeakBytes() >> 20,
          String.join(" ", memory.limits()));
    }
  }
}
