package dev.nightjar.jobs.registry;

import dev.nightjar.config.NightjarConfig;
import dev.nightjar.jobs.cli.ExitCodes;
import dev.nightjar.jobs.cli.JobOptions;
import dev.nightjar.jobs.cli.Sessions;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.run.Lease;
import dev.nightjar.run.PipelineLock;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * The shape of a registry command: load the settings for the output root, open its registry, and
 * for a command that moves an alias, hold the root's lock, so that no job is serving from the alias
 * while it moves.
 */
abstract class RegistryCommand implements Callable<Integer> {
  @Mixin JobOptions options;

  /** Whether the command writes, and so holds the output root's lock. */
  abstract boolean writes();

  abstract void run(ModelRegistry registry, PrintStream out);

  @Override
  public final Integer call() {
    NightjarConfig config = options.loadConfig(List.of());
    ModelRegistry registry = new ModelRegistry(Sessions.hadoopConf(config), config.outputRoot());
    if (writes()) {
      try (Lease lease = PipelineLock.acquire(Sessions.hadoopConf(config), config)) {
        run(registry, System.out);
      }
    } else {
      run(registry, System.out);
    }
    return ExitCodes.OK;
  }

  /** Who moves an alias when {@code --by} does not say: the submitting user. */
  static String defaultUser() {
    return System.getProperty("user.name", "unknown");
  }
}
