package dev.nightjar.data;

import java.io.Serializable;

/**
 * A record that could not be used, kept in the quarantine table with the reason.
 *
 * @param source the file it came from
 * @param location where in the file: a record index, a line, or empty for a whole file
 * @param records how many records it stands for (a truncated file loses all that follow)
 */
public record Rejection(String source, String location, String reason, int records)
    implements Serializable {}
