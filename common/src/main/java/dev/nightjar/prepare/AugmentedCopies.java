package dev.nightjar.prepare;

import dev.nightjar.data.Decoded;
import dev.nightjar.data.Example;
import dev.nightjar.data.Split;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Replaces each training example by its augmented copies ({@code prepare.augment.copies}), each
 * transformed by the draw of its own id: copy 0 keeps the example's id, so one copy is the plain
 * augmentation of the example, and copy k is {@code <id>-aug<k>}. Validation and test examples and
 * rejections pass through unchanged.
 */
final class AugmentedCopies implements FlatMapFunction<Decoded, Decoded> {
  private static final long serialVersionUID = 1L;
  private final Augmenter augmenter;
  private final int copies;
  private final int[] imageShape;

  AugmentedCopies(Augmenter augmenter, int copies, int[] imageShape) {
    this.augmenter = augmenter;
    this.copies = copies;
    this.imageShape = imageShape.clone();
  }

  @Override
  public Iterator<Decoded> call(Decoded decoded) {
    if (!decoded.isExample() || decoded.example().split() != Split.TRAIN) {
      return List.of(decoded).iterator();
    }
    Example example = decoded.example();
    List<Decoded> out = new ArrayList<>(copies);
    for (int copy = 0; copy < copies; copy++) {
      String id = copy == 0 ? example.id() : example.id() + "-aug" + copy;
      byte[] pixels =
          augmenter.apply(example.pixels(), imageShape[0], imageShape[1], imageShape[2], id);
      out.add(Decoded.of(new Example(id, example.split(), example.label(), pixels)));
    }
    return out.iterator();
  }
}
