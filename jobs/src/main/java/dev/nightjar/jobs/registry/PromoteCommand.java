package dev.nightjar.jobs.registry;

import dev.nightjar.registry.AliasEvent;
import dev.nightjar.registry.ModelRegistry;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "nightjar-promote",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Point a registry alias (default: approved) at a model version. Refused for a version not in "
            + "the registry, a model that lost more accuracy than its tolerance, or a file whose SHA-256 is "
            + "not the recorded one. The move is recorded with who, when and why.")
public final class PromoteCommand extends AliasMoveCommand {
  @Parameters(index = "0", paramLabel = "VERSION", description = "The version to promote.")
  String version;

  @Override
  void run(ModelRegistry registry, PrintStream out) {
    AliasEvent event = registry.promote(version, alias, by, reason);
    out.println(Events.describe(event));
  }
}
