package dev.nightjar.onnx;

/** Which channel each element of a row-major tensor belongs to, for per-channel arithmetic. */
public record ChannelLayout(long[] dims, int axis) {
  public ChannelLayout {
    if (axis < 0 || axis >= dims.length) {
      throw new IllegalArgumentException(
          "channel axis " + axis + " outside a tensor of rank " + dims.length);
    }
  }

  /** A tensor that is one channel: per-tensor quantization. */
  public static ChannelLayout perTensor(int length) {
    return new ChannelLayout(new long[] {1, length}, 0);
  }

  public int channels() {
    return (int) dims[axis];
  }

  /** Elements between consecutive steps along the channel axis. */
  private long inner() {
    long inner = 1;
    for (int d = axis + 1; d < dims.length; d++) {
      inner *= dims[d];
    }
    return inner;
  }

  public int channelOf(int index) {
    return (int) ((index / inner()) % dims[axis]);
  }

  /** channelOf for every element, computed once for loops over large tensors. */
  public int[] channelIndex(int length) {
    long inner = inner();
    int[] channels = new int[length];
    for (int i = 0; i < length; i++) {
      channels[i] = (int) ((i / inner) % dims[axis]);
    }
    return channels;
  }
}
