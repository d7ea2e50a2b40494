/**
 * The inference engines a model file opens in: DL4J, and ONNX Runtime on the CPU or a GPU.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.model.engine;
