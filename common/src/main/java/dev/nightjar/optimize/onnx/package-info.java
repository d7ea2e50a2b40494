/**
 * Export of the model zoo's DL4J networks to ONNX (fp32, fp16/bf16-stored weights, and int8 QDQ
 * calibrated on sample images), and an ONNX Runtime session to serve them.
 */
package dev.nightjar.optimize.onnx;
