package dev.nightjar.optimize.variant;

import dev.nightjar.config.EngineKind;
import dev.nightjar.model.SparseModelFile;
import dev.nightjar.model.engine.Engines;
import dev.nightjar.optimize.measure.ModelCost;
import dev.nightjar.optimize.prune.MagnitudePruner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Unstructured magnitude pruning: the smallest weights of the whole network set to zero, one
 * variant per sparsity, stored sparse. Served by DL4J, whose dense kernels gain nothing from zeros:
 * these variants are smaller, not faster.
 */
public final class PrunedVariants implements VariantBuilder {
  @Override
  public String description() {
    return "unstructured magnitude pruning";
  }

  @Override
  public List<Variant> build(VariantContext context) {
    List<Variant> variants = new ArrayList<>();
    for (double sparsity : context.optimize().pruneSparsities()) {
      MultiLayerNetwork pruned =
          MagnitudePruner.prune(context.trained(), sparsity, MagnitudePruner.Scope.GLOBAL);
      String name = String.format("pruned-%02d", Math.round(sparsity * 100));
      variants.add(
          new Variant(
              name,
              "pruning",
              "fp32",
              EngineKind.DL4J,
              name + Engines.SPARSE_EXTENSION,
              sparseFile(pruned),
              ModelCost.of(pruned, context.inputType()),
              true,
              String.format(
                  "%.0f%% of the weights zero (global magnitude), stored sparse, not fine-tuned; "
                      + "dense kernels run it as fast as fp32",
                  MagnitudePruner.sparsity(pruned) * 100)));
    }
    return variants;
  }

  private static byte[] sparseFile(MultiLayerNetwork network) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      SparseModelFile.write(network, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
