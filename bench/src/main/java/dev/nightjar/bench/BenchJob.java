package dev.nightjar.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The benchmarks' entry point: {@code submit/bench.sh load ...}. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      LoadBenchmark.class,
      TrainBenchmark.class,
      InferBenchmark.class,
      ScheduleBenchmark.class
    },
    description =
        "Nightjar's benchmarks. Each prints a summary table and, last, one JSON line of figures.")
public final class BenchJob implements Runnable {
  public static void main(String[] args) {
    dev.nightjar.spark.Nd4jBackend.configure();
    System.exit(new CommandLine(new BenchJob()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
