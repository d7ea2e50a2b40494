package dev.nightjar.jobs.registry;

import dev.nightjar.registry.AliasEvent;
import dev.nightjar.registry.ModelRegistry;
import java.io.PrintStream;
import picocli.CommandLine.Command;

@Command(
    name = "nightjar-rollback",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Point a registry alias (default: approved) back at the version it named before its latest "
            + "promotion, after checking that model's file. Recorded with who, when and why.")
public final class RollbackCommand extends AliasMoveCommand {
  @Override
  void run(ModelRegistry registry, PrintStream out) {
    AliasEvent event = registry.rollback(alias, by, reason);
    out.println(Events.describe(event));
  }
}
