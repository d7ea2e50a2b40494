/** The inference engines a model file opens in: DL4J, and ONNX Runtime on the CPU or a GPU. */
package dev.nightjar.model.engine;
