package dev.nightjar.source;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which training records become validation records. Stratified: each class gives the same share,
 * chosen by a seeded shuffle, so the same labels, fraction and seed always give the same split.
 */
public final class SplitPlan implements Serializable {
  private static final long serialVersionUID = 1L;
  private final BitSet validation;
  private final int records;

  private SplitPlan(BitSet validation, int records) {
    this.validation = validation;
    this.records = records;
  }

  public static SplitPlan stratified(
      byte[] labels, int numClasses, double validationFraction, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < numClasses; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i] & 0xFF).add(i);
    }
    BitSet validation = new BitSet(labels.length);
    for (int c = 0; c < numClasses; c++) {
      List<Integer> indices = byClass.get(c);
      Collections.shuffle(indices, new Random(seed * 31 + c));
      int take = (int) Math.round(indices.size() * validationFraction);
      for (int i = 0; i < take; i++) {
        validation.set(indices.get(i));
      }
    }
    return new SplitPlan(validation, labels.length);
  }

  public boolean isValidation(int record) {
    return validation.get(record);
  }

  public int validationCount() {
    return validation.cardinality();
  }

  public int records() {
    return records;
  }
}
