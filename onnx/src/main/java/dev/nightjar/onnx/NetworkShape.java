package dev.nightjar.onnx;

/** What an exported network reads and predicts: channels × height × width in, classes out. */
public record NetworkShape(int channels, int height, int width, int numClasses) {}
