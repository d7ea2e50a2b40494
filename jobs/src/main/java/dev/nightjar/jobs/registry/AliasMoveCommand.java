package dev.nightjar.jobs.registry;

import picocli.CommandLine.Option;

/** The options of a command that moves an alias, which holds the output root's lock. */
abstract class AliasMoveCommand extends RegistryCommand {
  @Option(names = "--alias", paramLabel = "NAME", description = "Default: approved.")
  String alias = "approved";

  @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why.")
  String reason;

  @Option(names = "--by", paramLabel = "WHO", description = "Default: the user running this.")
  String by = defaultUser();

  @Override
  final boolean writes() {
    return true;
  }
}
