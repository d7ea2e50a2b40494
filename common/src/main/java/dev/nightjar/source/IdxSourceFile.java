package dev.nightjar.source;

import java.io.Serializable;

/**
 * A pair of IDX files (images and labels) read as one source, up to {@code limit} records.
 *
 * @param stem prefix of the example ids, e.g. {@code train} or {@code t10k}
 */
public record IdxSourceFile(String stem, String images, String labels, int records)
    implements Serializable {}
