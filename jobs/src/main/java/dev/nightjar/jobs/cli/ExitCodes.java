package dev.nightjar.jobs.cli;

/** The exit codes every job uses; schedulers branch on them. */
public final class ExitCodes {
  public static final int OK = 0;

  /** Anything unexpected: a bug, a lost cluster, a full disk. */
  public static final int FAILURE = 1;

  /** Bad arguments or configuration, or a missing input: nothing was started. */
  public static final int USAGE = 2;

  /** An input's content is wrong (corrupt or truncated files). */
  public static final int BAD_INPUT = 3;

  /** Another job holds the output root's lock; nothing was done. */
  public static final int LOCKED = 4;

  private ExitCodes() {}
}
