/**
 * The train stage: DL4J parameter averaging over the prepared shards, evaluated after every epoch.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.train;
