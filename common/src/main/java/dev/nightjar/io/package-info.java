/**
 * Reading sources and committing outputs through Hadoop's FileSystem API, so every path may be any
 * Hadoop URI.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.io;
