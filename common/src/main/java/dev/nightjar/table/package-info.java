/**
 * The schemas of the examples and quarantine tables.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.table;
