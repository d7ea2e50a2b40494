/**
 * The network architectures a run can train, by name.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.model.zoo;
