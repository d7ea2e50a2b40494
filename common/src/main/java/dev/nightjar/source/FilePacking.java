package dev.nightjar.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Packs many files into a few partitions, balanced by bytes and stratified by label: each file goes
 * to the partition holding the fewest files of its class, ties broken by fewest bytes. Every
 * partition so sees every class that has at least as many files as there are partitions, however
 * skewed the class sizes, and ten thousand small files make {@code n} tasks, not ten thousand.
 */
final class FilePacking {
  private FilePacking() {}

  static List<List<ImageFile>> balanced(List<ImageFile> files, int partitions, int numClasses) {
    List<List<ImageFile>> bins = new ArrayList<>();
    long[] bytes = new long[partitions];
    // One bucket per class and one, the first, for unlabelled files.
    int[][] perClass = new int[partitions][numClasses + 1];
    for (int p = 0; p < partitions; p++) {
      bins.add(new ArrayList<>());
    }
    // Largest first within a class, so the byte balance is settled by the small files last.
    List<ImageFile> ordered = new ArrayList<>(files);
    ordered.sort(
        Comparator.comparingInt(ImageFile::label)
            .thenComparing(Comparator.comparingLong(ImageFile::bytes).reversed())
            .thenComparing(ImageFile::id));
    for (ImageFile file : ordered) {
      int best = 0;
      for (int p = 1; p < partitions; p++) {
        int byClass =
            Integer.compare(perClass[p][file.label() + 1], perClass[best][file.label() + 1]);
        if (byClass < 0 || (byClass == 0 && bytes[p] < bytes[best])) {
          best = p;
        }
      }
      bins.get(best).add(file);
      bytes[best] += file.bytes();
      perClass[best][file.label() + 1]++;
    }
    return bins;
  }
}
