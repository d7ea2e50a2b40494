/**
 * Knowledge distillation (Hinton et al.): train a small student network on a trained teacher's
 * softened outputs as well as the true labels. The teacher's logits travel in the minibatch labels
 * ({@link dev.nightjar.optimize.distill.DistillationLabels}), so parameter averaging on Spark needs
 * no change; the student's output layer reads them through {@link
 * dev.nightjar.optimize.distill.DistillationLoss}.
 *
 * <p>Internal: no compatibility promise. The public API is listed in docs/library.md.
 */
package dev.nightjar.optimize.distill;
