/**
 * Every model artefact: the trained network's store and metadata, the serving decision, the
 * reference an executor loads from, and sparse model files. Architectures live in {@code zoo}, the
 * engines that run a model file in {@code engine}.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.model;
