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
 * its own driver JVM in {@code local[2]}, with explicit heap, direct and ND4J off-heap limits; the
 * peaks it reaches (heap in use, resident set) stay under them, and are printed for the record.
 */
@Tag("faults")
@ExtendWith(SparkTestSession.class)
class LargeRunIT {
  private static final String DATE = "2026-04-01";
  private static final int COPIES = 20;
  private static final long TRAIN_IMAGES = 60_000L * COPIES;
  private static final long TEST_IMAGES = 10_000;

  /**
   * The driver's heap; the script derives ND4J's limits from it (maxbytes 2G, maxphysicalbytes 5G).
   */
  private static final String DRIVER_MEMORY = "2g";

  private static final String DIRECT_MEMORY = "1g";

  @TempDir java.nio.file.Path work;

  private record Run(String stage, int exitCode, double seconds, JvmMemory memory, String log) {}

  @Test
  void preparesAndScoresTwentyTimesTheDataWithinItsMemoryLimits(SparkSession spark)
      throws Exception {
    java.nio.file.Path output = work.resolve("output");
    trainServingModel(spark, output);

    Run prepare =
        submit(
            "prepare",
            "--data",
            FashionMnist.dir(),
            "--conf",
            "prepare.augment.enabled=true",
            "--conf",
            "prepare.augment.copies=" + COPIES,
            "--conf",
            "prepare.validation-fraction=0",
            // Forty source partitions: each task holds 1,500 images and writes their 30,000 copies.
            "--conf",
            "prepare.partitions=40");
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

    Run infer = submit("infer", "--conf", "infer.split=train");
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

    report(List.of(prepare, infer));
    for (Run run : List.of(prepare, infer)) {
      JvmMemory memory = run.memory();
      assertThat(memory.heapPeakBytes())
          .as("%s: heap in use at its peak", run.stage())
          .isPositive()
          .isLessThan(memory.limitBytes("-Xmx"));
      assertThat(memory.rssPeakBytes())
          .as("%s: resident set at its peak", run.stage())
          .isPositive()
          .isLessThan(memory.limitBytes("-Dorg.bytedeco.javacpp.maxphysicalbytes"));
    }
  }

  /**
   * The night's serving model, trained briefly on a slice in this JVM: training at 20x is not what
   * is measured.
   */
  private static void trainServingModel(SparkSession spark, java.nio.file.Path output) {
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
    Nightjar.optimize(spark, slice).execute();
  }

  /**
   * Submits a stage for the night in local[2] with the memory limits, and watches its JVM until it
   * ends.
   */
  private Run submit(String stage, String... stageArgs) throws Exception {
    java.nio.file.Path gcLog = work.resolve(stage + "-gc.log");
    java.nio.file.Path log = work.resolve(stage + ".log");
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
                DATE));
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
    Run run = new Run(stage, exitCode, (System.nanoTime() - start) / 1e9, memory, job.log());
    assertThat(exitCode).as("%s exit code; log:%n%s", stage, run.log()).isZero();
    return run;
  }

  private static void report(List<Run> runs) throws Exception {
    System.out.printf(
        "%-8s %10s %10s %13s %10s  %s%n",
        "stage", "wall time", "heap peak", "live heap peak", "RSS peak", "limits");
    for (Run run : runs) {
      JvmMemory memory = run.memory();
      System.out.printf(
          "%-8s %8.1f s %7d MB %10d MB %7d MB  %s%n",
          run.stage(),
          run.seconds(),
          memory.heapPeakBytes() >> 20,
          memory.liveHeapPeakBytes() >> 20,
          memory.rssPeakBytes() >> 20,
          String.join(" ", memory.limits()));
    }
  }
}
