package dev.nightjar.run;

/**
 * What one generation's file of the lock folder holds: whose lease it is. Only the token and the
 * generation decide anything; the run id names what a takeover discards, the host and pid are for
 * people reading the file.
 *
 * @param generation the number of the file it lies in, one more than the holder before
 * @param token random, so a file rewritten by anyone else is told apart from the holder's own
 */
public record LeaseRecord(
    String runId, long generation, String token, String host, long pid, String acquiredAt) {}
