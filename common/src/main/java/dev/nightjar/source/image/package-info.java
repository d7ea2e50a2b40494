/**
 * Decoding and resizing images on the executors, with limits that refuse hostile files.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.source.image;
