package dev.nightjar.jobs.registry;

import dev.nightjar.registry.AliasEvent;
import dev.nightjar.registry.ModelRegistry;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "nightjar-rollback",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Point a registry alias (default: approved) back at the version it named before its latest "
            + "promotion, after checking that model's file. Recorded with who, when and why.")
public final class RollbackCommand extends RegistryCommand {
  @Option(names = "--alias", paramLabel = "NAME", description = "Default: approved.")
  String alias = "approved";

  @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why.")
  String reason;

  @Option(names = "--by", paramLabel = "WHO", description = "Default: the user running this.")
  String by = defaultUser();

  @Override
  boolean writes() {
    return true;
  }

  @Override
  void run(ModelRegistry registry, PrintStream out) {
    AliasEvent event = registry.rollback(alias, by, reason);
    out.println(Events.describe(event));
  }
}
