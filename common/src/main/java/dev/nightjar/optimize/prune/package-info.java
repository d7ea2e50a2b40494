/**
 * Pruning of the zoo's DL4J networks: unstructured magnitude pruning ({@link
 * dev.nightjar.optimize.prune.MagnitudePruner}) with a mask that survives fine-tuning and a compact
 * file format for the sparse result, and structured filter pruning ({@link
 * dev.nightjar.optimize.prune.FilterPruner}) that rebuilds a smaller dense network.
 */
package dev.nightjar.optimize.prune;
