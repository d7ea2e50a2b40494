package dev.nightjar.jobs.registry;

import dev.nightjar.registry.AliasEvent;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.registry.RegisteredModel;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "nightjar-models",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "List the output root's model registry: every registered model with its accuracy, digest and "
            + "aliases, then each alias's history.")
public final class ModelsCommand extends RegistryCommand {
  @Option(names = "--history", description = "Also print every alias's moves, oldest first.")
  boolean history;

  @Override
  boolean writes() {
    return false;
  }

  @Override
  void run(ModelRegistry registry, PrintStream out) {
    Map<String, String> aliasesOf = new HashMap<>();
    for (String alias : registry.aliases()) {
      registry.alias(alias).ifPresent(v -> aliasesOf.merge(v, alias, (a, b) -> a + "," + b));
    }
    List<RegisteredModel> models = registry.models();
    out.printf(
        "%-40s %-8s %-10s %-12s %9s %7s %-12s %s%n",
        "version", "kind", "run date", "engine", "accuracy", "drop", "sha256", "aliases");
    for (RegisteredModel m : models) {
      out.printf(
          "%-40s %-8s %-10s %-12s %8.2f%% %7.2f %-12s %s%n",
          m.version(),
          m.kind().name().toLowerCase(java.util.Locale.ROOT),
          m.runDate(),
          m.engine(),
          m.testAccuracy() * 100,
          m.dropPoints(),
          m.sha256().substring(0, 12),
          aliasesOf.getOrDefault(m.version(), ""));
    }
    out.println(models.size() + " models registered.");
    if (history) {
      for (String alias : registry.aliases()) {
        for (AliasEvent event : registry.history(alias)) {
          out.println(Events.describe(event));
        }
      }
    }
  }
}
