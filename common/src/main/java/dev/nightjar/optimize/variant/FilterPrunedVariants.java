package dev.nightjar.optimize.variant;

import dev.nightjar.config.OptimizeConfig;
import dev.nightjar.config.OptimizeConfig.DistillConfig;
import dev.nightjar.optimize.distill.StudentConfigurations;
import dev.nightjar.optimize.prune.FilterPruner;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Structured pruning: the filters and neurons with the least L1 norm removed, the layers rebuilt
 * smaller and dense, then fine-tuned with parameter averaging on the trained model's softened
 * outputs as well as the labels (as the distilled student learns): the unpruned model is the best
 * teacher its pruned copy can have. Smaller layers are really faster, on every engine; its int8
 * version combines both gains.
 */
public final class FilterPrunedVariants implements VariantBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(FilterPrunedVariants.class);

  @Override
  public String description() {
    return "structured (filter) pruning and fine-tuning";
  }

  @Override
  public int trainingEpochs(OptimizeConfig optimize) {
    return optimize.filterFractions().size() * optimize.fineTuneEpochs();
  }

  @Override
  public List<Variant> build(VariantContext context) {
    List<Variant> variants = new ArrayList<>();
    for (double fraction : context.optimize().filterFractions()) {
      variants.addAll(pruneAndFineTune(context, fraction));
    }
    return variants;
  }

  private static List<Variant> pruneAndFineTune(VariantContext context, double fraction) {
    int epochs = context.optimize().fineTuneEpochs();
    DistillConfig distill = context.optimize().distill();
    MultiLayerNetwork pruned =
        StudentConfigurations.asStudent(
            FilterPruner.prune(context.trained(), fraction, context.optimize().filterMultiple()),
            distill.temperature(),
            distill.alpha());
    String widths = LayerWidths.of(pruned) + " of " + LayerWidths.of(context.trained());
    LOG.info(
        "Removed {}% of the filters and neurons (outputs per layer: {}): {} parameters left of {}; "
            + "fine-tuning for {} epochs",
        Math.round(fraction * 100),
        widths,
        pruned.numParams(),
        context.trained().numParams(),
        epochs);
    String name = String.format("filter-pruned-%02d", Math.round(fraction * 100));
    for (int epoch = 1; epoch <= epochs; epoch++) {
      // The pruned copy inherits the last rate of training; recovering needs a schedule of its
      // own, over the fine-tuning's length.
      pruned.setLearningRate(
          context.training().scheduled(context.optimize().fineTuneLearningRate(), epoch, epochs));
      context.fitEpoch(
          pruned, context.teacherShards().get(), epoch, "fine-tune " + name + ", epoch " + epoch);
    }
    String note =
        String.format(
            "%.0f%% of the filters and neurons removed by L1 norm (outputs per layer: %s), "
                + "fine-tuned %d epochs on the trained model's outputs at temperature %.1f",
            fraction * 100, widths, epochs, distill.temperature());
    List<Variant> variants =
        new ArrayList<>(VariantFiles.onBothEngines(name, "filter-pruning", pruned, context, note));
    variants.add(
        VariantFiles.int8(
            name + "-int8", "filter-pruning+quantization", pruned, context, note + ", then int8"));
    return variants;
  }
}
