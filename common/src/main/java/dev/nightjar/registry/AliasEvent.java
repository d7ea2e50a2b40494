package dev.nightjar.registry;

/**
 * One move of an alias, saved as {@code aliases/ALIAS/NNNNNNNN.json}; the files of an alias, in
 * order, are its history.
 *
 * @param sequence 1 for the alias's first move, then one more for each
 * @param action {@code promote} or {@code rollback}
 * @param version the version the alias names after the move
 * @param from the version it named before; empty for its first promotion
 * @param by who moved it
 * @param at when, as an ISO-8601 instant
 * @param reason why, as given
 */
public record AliasEvent(
    String alias,
    long sequence,
    String action,
    String version,
    String from,
    String by,
    String at,
    String reason) {
  public static final String PROMOTE = "promote";
  public static final String ROLLBACK = "rollback";
}
