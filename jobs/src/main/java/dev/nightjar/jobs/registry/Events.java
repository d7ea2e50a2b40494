package dev.nightjar.jobs.registry;

import dev.nightjar.registry.AliasEvent;

/** One line per alias move, as the commands print it. */
final class Events {
  private Events() {}

  static String describe(AliasEvent event) {
    return String.format(
        "%s #%d: %s %s -> %s by %s at %s: %s",
        event.alias(),
        event.sequence(),
        event.action(),
        event.from().isEmpty() ? "(none)" : event.from(),
        event.version(),
        event.by(),
        event.at(),
        event.reason());
  }
}
