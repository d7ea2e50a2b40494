package dev.nightjar.io;

import java.util.List;

/**
 * A version that no record names: one being written ({@code _commits/_inflight/}) or one a newer
 * commit replaced ({@code _commits/_retired/}). The sweep deletes its folders once it can never be
 * published or read again.
 *
 * @param folders the version's folders, relative to the output root
 * @param since when it began (in flight) or was replaced (retired)
 */
record VersionNote(
    String unit, String runDate, String version, List<String> folders, String since) {}
