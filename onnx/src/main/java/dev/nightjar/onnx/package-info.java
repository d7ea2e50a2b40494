/**
 * Export of DL4J networks to ONNX: fp32, fp16 or bf16-stored weights, and int8 QDQ calibrated on
 * sample images with ONNX Runtime. A library of its own, without Spark, so that it can be read,
 * tested and reused apart from the jobs.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.onnx;
