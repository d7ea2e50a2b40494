package dev.nightjar.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Collects the nodes, initializers, inputs and outputs of one ONNX graph and serialises it as a
 * model, with ONNX's protobuf classes that ship inside nd4j-api.
 */
final class OnnxGraph {
  /** Opset 13: the first with per-axis DequantizeLinear and Softmax over one axis. */
  static final int OPSET = 13;

  /** IR version 7 is the one that introduced opset 13. */
  private static final long IR_VERSION = 7;

  static final String BATCH = "batch";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final List<NodeProto.Builder> nodes = new ArrayList<>();

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /** Declares a float graph input or output whose first dimension is the dynamic batch. */
  private static ValueInfoProto batchedFloat(String name, long... rest) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    shape.addDimBuilder().setDimParam(BATCH);
    for (long dim : rest) {
      shape.addDimBuilder().setDimValue(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }

  void input(String name, long... dimsAfterBatch) {
    graph.addInput(batchedFloat(name, dimsAfterBatch));
  }

  void output(String name, long... dimsAfterBatch) {
    graph.addOutput(batchedFloat(name, dimsAfterBatch));
  }

  /** A float output of unknown shape, e.g. an activation exposed for calibration. */
  void floatOutput(String name) {
    graph.addOutput(
        ValueInfoProto.newBuilder()
            .setName(name)
            .setType(
                TypeProto.newBuilder()
                    .setTensorType(
                        TypeProto.Tensor.newBuilder()
                            .setElemType(TensorProto.DataType.FLOAT_VALUE))));
  }

  /** Adds a node with one output and returns it for attributes. */
  Node node(String opType, String output, String... inputs) {
    NodeProto.Builder node =
        NodeProto.newBuilder().setOpType(opType).setName(output).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    nodes.add(node);
    return new Node(node);
  }

  /**
   * Renames the tensor a node produces, so that the graph's last node can write its declared
   * output.
   */
  void renameOutput(String from, String to) {
    for (NodeProto.Builder node : nodes) {
      for (int i = 0; i < node.getOutputCount(); i++) {
        if (node.getOutput(i).equals(from)) {
          node.setOutput(i, to);
        }
      }
      for (int i = 0; i < node.getInputCount(); i++) {
        if (node.getInput(i).equals(from)) {
          node.setInput(i, to);
        }
      }
    }
  }

  /** An initializer whose bytes are already encoded little-endian in {@code dataType}. */
  String initializer(String name, int dataType, long[] dims, byte[] littleEndian) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(dataType)
            .setRawData(ByteString.copyFrom(littleEndian));
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    graph.addInitializer(tensor);
    return name;
  }

  String floats(String name, long[] dims, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return initializer(name, TensorProto.DataType.FLOAT_VALUE, dims, bytes.array());
  }

  String ints32(String name, long[] dims, int[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asIntBuffer().put(values);
    return initializer(name, TensorProto.DataType.INT32_VALUE, dims, bytes.array());
  }

  byte[] toModelBytes() {
    GraphProto.Builder built = graph.clone();
    for (NodeProto.Builder node : nodes) {
      built.addNode(node);
    }
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("nightjar")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(built)
        .build()
        .toByteArray();
  }

  /** Fluent attributes of a node just added. */
  static final class Node {
    private final NodeProto.Builder node;

    private Node(NodeProto.Builder node) {
      this.node = node;
    }

    Node ints(String name, long... values) {
      AttributeProto.Builder attribute =
          AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
      for (long value : values) {
        attribute.addInts(value);
      }
      node.addAttribute(attribute);
      return this;
    }

    Node ints(String name, int... values) {
      long[] widened = new long[values.length];
      for (int i = 0; i < values.length; i++) {
        widened[i] = values[i];
      }
      return ints(name, widened);
    }

    Node i(String name, long value) {
      node.addAttribute(
          AttributeProto.newBuilder()
              .setName(name)
              .setType(AttributeProto.AttributeType.INT)
              .setI(value));
      return this;
    }

    Node f(String name, float value) {
      node.addAttribute(
          AttributeProto.newBuilder()
              .setName(name)
              .setType(AttributeProto.AttributeType.FLOAT)
              .setF(value));
      return this;
    }
  }
}
