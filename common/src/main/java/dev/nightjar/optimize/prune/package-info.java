/**
 * Pruning of the zoo's DL4J networks: unstructured magnitude pruning ({@link
 * dev.nightjar.optimize.prune.MagnitudePruner}) with a mask that survives fine-tuning and a compact
 * file format for the sparse result, and structured filter pruning ({@link
 * dev.nightjar.optimize.prune.FilterPruner}) that rebuilds a smaller dense network.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.optimize.prune;
