/**
 * The prepare stage: plan balanced partitions over the source, decode and scale on the executors,
 * and write the minibatch shards, example table and manifest that training and inference read.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.prepare;
