package dev.nightjar.optimize.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An ONNX Runtime session over one exported model (one image input, one probabilities output):
 * predicts class probabilities for batches of NCHW images. Optimization level ALL, so QDQ models
 * run on integer kernels.
 *
 * <p>The input and output tensors are allocated once per batch size and reused: a call copies the
 * images into native memory and the probabilities out of it, and allocates nothing else. Calls are
 * serialised (they share those buffers); parallelism comes from the intra-op threads, or from one
 * session per thread.
 */
public final class OnnxSession implements AutoCloseable {
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final String inputName;
  private final String outputName;
  private final long[] imageShape;
  private final int classes;

  private int batch = -1;
  private FloatBuffer input;
  private FloatBuffer output;
  private OnnxTensor inputTensor;
  private OnnxTensor outputTensor;

  /** A session on {@code model} (ONNX bytes) that uses {@code intraOpThreads} threads per call. */
  public OnnxSession(byte[] model, int intraOpThreads) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      session = environment.createSession(model, options);
    }
    inputName = session.getInputNames().iterator().next();
    outputName = session.getOutputNames().iterator().next();
    long[] inputShape = shape(session.getInputInfo().get(inputName));
    imageShape = new long[] {inputShape[1], inputShape[2], inputShape[3]};
    classes = (int) shape(session.getOutputInfo().get(outputName))[1];
  }

  private static long[] shape(NodeInfo info) {
    return ((TensorInfo) info.getInfo()).getShape();
  }

  public int numClasses() {
    return classes;
  }

  /** Probabilities [batch × classes], row-major, for {@code batch} images [batch × C × H × W] in NCHW order. */
  public synchronized float[] predict(float[] nchw, int batch) throws OrtException {
    long imageSize = imageShape[0] * imageShape[1] * imageShape[2];
    if (batch <= 0 || nchw.length < batch * imageSize) {
      throw new IllegalArgumentException("need " + batch + " images of " + imageSize + " floats, got " + nchw.length);
    }
    ensureBuffers(batch, (int) imageSize);
    input.clear();
    input.put(nchw, 0, (int) (batch * imageSize));
    // Pinned output: ONNX Runtime writes into our buffer instead of allocating a result tensor.
    session.run(Map.of(inputName, inputTensor), Map.of(outputName, outputTensor)).close();
    float[] probabilities = new float[batch * classes];
    output.get(0, probabilities);
    return probabilities;
  }

  private void ensureBuffers(int batch, int imageSize) throws OrtException {
    if (batch == this.batch) {
      return;
    }
    closeTensors();
    input = direct(batch * imageSize);
    output = direct(batch * classes);
    inputTensor = OnnxTensor.createTensor(environment, input,
        new long[] {batch, imageShape[0], imageShape[1], imageShape[2]});
    outputTensor = OnnxTensor.createTensor(environment, output, new long[] {batch, classes});
    this.batch = batch;
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private void closeTensors() {
    if (inputTensor != null) {
      inputTensor.close();
      outputTensor.close();
    }
    batch = -1;
  }

  @Override
  public synchronized void close() throws OrtException {
    closeTensors();
    session.close();
  }
}
