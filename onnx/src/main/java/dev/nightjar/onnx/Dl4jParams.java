package dev.nightjar.onnx;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies DL4J parameters out as row-major floats. */
final class Dl4jParams {
  private Dl4jParams() {}

  static float[] floats(INDArray param) {
    // dup('c') gives a buffer of exactly this array's elements, whatever view or order the param
    // is.
    return param.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }
}
