package dev.nightjar.model.engine;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A DL4J network as an engine. Not thread-safe: DL4J networks keep per-call state. */
public final class Dl4jEngine implements InferenceEngine {
  private final MultiLayerNetwork network;
  private final long[] imageShape;
  private final int numClasses;

  public Dl4jEngine(MultiLayerNetwork network, int[] imageShape) {
    this.network = network;
    this.imageShape = new long[] {imageShape[0], imageShape[1], imageShape[2]};
    this.numClasses = (int) network.layerSize(network.getnLayers() - 1);
  }

  @Override
  public float[] predict(float[] images, int batch) {
    INDArray input =
        Nd4j.create(images, new long[] {batch, imageShape[0], imageShape[1], imageShape[2]}, 'c');
    return network
        .output(input, false)
        .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
        .dup('c')
        .data()
        .asFloat();
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  /** A copy with its own state, for another thread. */
  Dl4jEngine copy() {
    return new Dl4jEngine(
        network.clone(), new int[] {(int) imageShape[0], (int) imageShape[1], (int) imageShape[2]});
  }

  @Override
  public void close() {
    // The network's buffers are freed by ND4J's garbage collection.
  }
}
