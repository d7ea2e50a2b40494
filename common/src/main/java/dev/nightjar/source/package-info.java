/**
 * The example sources: IDX files, image folders and tables on any Hadoop file system. A source
 * plans balanced partitions on the driver; each partition then reads and decodes itself on an
 * executor. The prepare stage reads training data through them, the infer stage new data.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.source;
