package dev.nightjar.source;

import dev.nightjar.data.Split;
import java.io.Serializable;

/**
 * One image file of an image-folder source, with its planned label and split.
 *
 * @param id stable across reruns: the path below the source folder, e.g. {@code Coat/00042.jpg}
 */
record ImageFile(String uri, String id, long bytes, int label, Split split)
    implements Serializable {}
