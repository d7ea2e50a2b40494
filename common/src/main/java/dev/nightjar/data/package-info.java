/**
 * The data model the stages share: splits, the prepared-data manifest and pixel scaling.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.data;
