package dev.nightjar.model.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An ONNX model on ONNX Runtime. One session serves every task of the JVM: ORT sessions may be run
 * from several threads at once, and each run computes on its caller's thread when the session has
 * one intra-op thread, so Spark's task slots stay the unit of parallelism.
 *
 * <p>Tasks score through {@link #lease() leases}: each lease keeps native input and output tensors
 * for its batch sizes, which ORT reads and writes in place, so a call copies the images in and the
 * probabilities out, nothing more. The tensors belong to the lease, not to a thread: closing the
 * lease frees them, and {@link EnginePool} hands a returned lease, tensors and all, to the next
 * task.
 */
public final class OnnxRuntimeEngine implements InferenceEngine {
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final String inputName;
  private final String outputName;
  private final long[] imageShape;
  private final int numClasses;
  private static final int SIZES_PER_LEASE = 3;

  /** Every lease's tensors not yet freed, freed with the session at the latest. */
  private final Queue<Buffers> allBuffers = new ConcurrentLinkedQueue<>();

  /**
   * @param model the ONNX file's bytes: one float input {@code [N, C, H, W]}, one output of class
   *     probabilities {@code [N, classes]}
   * @param intraOpThreads threads one run may use; 1 when tasks already fill the cores
   */
  public OnnxRuntimeEngine(byte[] model, int intraOpThreads) {
    this(model, intraOpThreads, -1);
  }

  /** The model on ONNX Runtime's CUDA execution provider, on GPU {@code device}. */
  static OnnxRuntimeEngine onGpu(byte[] model, int device) {
    return new OnnxRuntimeEngine(model, 1, device);
  }

  private OnnxRuntimeEngine(byte[] model, int intraOpThreads, int gpu) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      optimizeAsServed(options);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      if (gpu >= 0) {
        addCuda(options, gpu);
      }
      OrtSession created = environment.createSession(model, options);
      try {
        if (created.getNumInputs() < 1 || created.getNumOutputs() < 1) {
          throw new IllegalArgumentException(
              "expected an image input and an output, got "
                  + created.getNumInputs()
                  + " inputs and "
                  + created.getNumOutputs()
                  + " outputs");
        }
        inputName = created.getInputNames().iterator().next();
        outputName = created.getOutputNames().iterator().next();
        long[] inputShape = shape(created.getInputInfo().get(inputName));
        if (inputShape.length != 4) {
          throw new IllegalArgumentException(
              "expected an image input [N, C, H, W], got rank " + inputShape.length);
        }
        imageShape = new long[] {inputShape[1], inputShape[2], inputShape[3]};
        long[] outputShape = shape(created.getOutputInfo().get(outputName));
        if (outputShape.length != 2) {
          throw new IllegalArgumentException(
              "expected class probabilities [N, classes], got rank " + outputShape.length);
        }
        numClasses = (int) outputShape[1];
      } catch (RuntimeException | OrtException e) {
        created.close();
        throw e;
      }
      session = created;
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
  }

  /**
   * Scores one batch with tensors allocated for this call alone; thread-safe. Repeated calls score
   * faster through a {@link #lease()}, which keeps its tensors.
   */
  @Override
  public float[] predict(float[] images, int batch) {
    try (Lease lease = lease()) {
      return lease.predict(images, batch);
    }
  }

  /** A view of this model for one borrower at a time, with native tensors of its own. */
  public Lease lease() {
    return new Lease();
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public void close() {
    Buffers io;
    while ((io = allBuffers.poll()) != null) {
      io.close();
    }
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the ONNX Runtime session", e);
    }
  }

  /**
   * The session with tensors of its own, by batch size: the full batches, and the last, smaller
   * batch of a partition, which otherwise would reallocate the full batch's tensors after every
   * partition. Not thread-safe: one borrower at a time.
   */
  public final class Lease implements InferenceEngine {
    private final Map<Integer, Buffers> buffers = new HashMap<>();

    private Lease() {}

    @Override
    public float[] predict(float[] images, int batch) {
      int imageSize = (int) (imageShape[0] * imageShape[1] * imageShape[2]);
      if (batch <= 0 || images.length < batch * imageSize) {
        throw new IllegalArgumentException(
            "need " + batch + " images of " + imageSize + " floats, got " + images.length);
      }
      Buffers io = buffersFor(batch, imageSize);
      io.input.clear();
      io.input.put(images, 0, batch * imageSize);
      try {
        session.run(Map.of(inputName, io.inputTensor), Map.of(outputName, io.outputTensor)).close();
      } catch (OrtException e) {
        throw new IllegalStateException(
            "ONNX Runtime failed on a batch of " + batch + ": " + e.getMessage(), e);
      }
      float[] probabilities = new float[batch * numClasses];
      io.output.get(0, probabilities);
      return probabilities;
    }

    @Override
    public int numClasses() {
      return numClasses;
    }

    /** Frees this lease's tensors; the session stays open. */
    @Override
    public void close() {
      for (Buffers io : buffers.values()) {
        free(io);
      }
      buffers.clear();
    }

    private Buffers buffersFor(int batch, int imageSize) {
      Buffers io = buffers.get(batch);
      if (io != null) {
        return io;
      }
      if (buffers.size() >= SIZES_PER_LEASE) {
        // Keep the full batch size; drop a partition's odd-sized last batch.
        int full = Math.max(batch, Collections.max(buffers.keySet()));
        Integer odd =
            buffers.keySet().stream().filter(size -> size != full).findFirst().orElseThrow();
        free(buffers.remove(odd));
      }
      try {
        io = new Buffers(batch, imageSize);
      } catch (OrtException e) {
        throw new IllegalStateException(
            "cannot allocate ONNX Runtime tensors: " + e.getMessage(), e);
      }
      buffers.put(batch, io);
      allBuffers.add(io);
      return io;
    }

    private void free(Buffers io) {
      if (allBuffers.remove(io)) {
        io.close();
      }
    }
  }

  /** One lease's native tensors for one batch size. */
  private final class Buffers {
    final int batch;
    final FloatBuffer input;
    final FloatBuffer output;
    final OnnxTensor inputTensor;
    final OnnxTensor outputTensor;

    Buffers(int batch, int imageSize) throws OrtException {
      this.batch = batch;
      input = direct(batch * imageSize);
      output = direct(batch * numClasses);
      inputTensor =
          OnnxTensor.createTensor(
              environment, input, new long[] {batch, imageShape[0], imageShape[1], imageShape[2]});
      outputTensor = OnnxTensor.createTensor(environment, output, new long[] {batch, numClasses});
    }

    void close() {
      inputTensor.close();
      outputTensor.close();
    }
  }

  /**
   * ONNX Runtime's graph optimizations as this engine runs models: all of them, except the QDQ
   * propagation that inserts quantization pairs an int8 export did not write. The int8 export
   * leaves a short-reduction convolution in float, with its max-pool, and quantizes the pool's
   * output; propagation would move that quantization back through the max-pool, onto 4× the values,
   * and run the pool on uint8 in NCHW layout, ONNX Runtime's slow max-pool (8–12 ms per batch of
   * 256 on FashionCNN's first block, against 0.4 ms in float). Every other quantized operation of
   * the export already has its own pair.
   *
   * @throws OrtException if ONNX Runtime rejects the options
   */
  public static void optimizeAsServed(OrtSession.SessionOptions options) throws OrtException {
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    options.addConfigEntry(
        "optimization.disable_specified_optimizers", "QDQPropagationTransformer");
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  private static long[] shape(NodeInfo info) {
    if (!(info.getInfo() instanceof TensorInfo tensor)) {
      throw new IllegalArgumentException(
          info.getName() + " is no tensor but " + info.getInfo().getClass().getSimpleName());
    }
    return tensor.getShape();
  }

  private static void addCuda(OrtSession.SessionOptions options, int device) {
    try {
      options.addCUDA(device);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime has no CUDA execution provider here ("
              + e.getMessage()
              + "): Nightjar's builds ship ONNX Runtime's CPU build, as its CUDA build needs another"
              + " CUDA stack than ND4J's (docs/kubernetes.md)",
          e);
    }
  }
}
