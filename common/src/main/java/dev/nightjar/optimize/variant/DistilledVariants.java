package dev.nightjar.optimize.variant;

import dev.nightjar.config.OptimizeConfig;
import dev.nightjar.config.OptimizeConfig.DistillConfig;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.optimize.distill.StudentConfigurations;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knowledge distillation: a smaller zoo network trained with parameter averaging on the trained
 * model's softened outputs (at a temperature) and the labels. The teacher's logits are computed
 * once, on the cluster, before the student's first epoch.
 */
public final class DistilledVariants implements VariantBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(DistilledVariants.class);

  @Override
  public String description() {
    return "knowledge distillation";
  }

  @Override
  public int trainingEpochs(OptimizeConfig optimize) {
    return optimize.distill().epochs();
  }

  @Override
  public List<Variant> build(VariantContext context) {
    DistillConfig distill = context.optimize().distill();
    List<String> shards = context.teacherShards().get();
    MultiLayerNetwork student =
        new MultiLayerNetwork(
            StudentConfigurations.student(
                ModelZoo.architecture(distill.student()),
                context.input(),
                distill.learningRate(),
                context.training().seed(),
                distill.temperature(),
                distill.alpha()));
    student.init();
    LOG.info(
        "Distilling into {} ({} parameters, the teacher has {}) for {} epochs at temperature {}",
        distill.student(),
        student.numParams(),
        context.trained().numParams(),
        distill.epochs(),
        distill.temperature());
    for (int epoch = 1; epoch <= distill.epochs(); epoch++) {
      student.setLearningRate(
          context.training().scheduled(distill.learningRate(), epoch, distill.epochs()));
      context.fitEpoch(student, shards, epoch, "distil " + distill.student() + ", epoch " + epoch);
    }
    String name = "distilled-" + distill.student();
    String note =
        String.format(
            "%s trained %d epochs on the teacher's outputs at temperature %.1f (alpha %.2f)",
            distill.student(), distill.epochs(), distill.temperature(), distill.alpha());
    List<Variant> variants =
        new ArrayList<>(VariantFiles.onBothEngines(name, "distillation", student, context, note));
    variants.add(
        VariantFiles.int8(
            name + "-int8", "distillation+quantization", student, context, note + ", then int8"));
    return variants;
  }
}
