/**
 * The shape every stage shares: {@link dev.nightjar.stage.Stage} names them and fixes their order,
 * {@link dev.nightjar.stage.StageAction} owns what each run of a stage does around its own work
 * (timing, the Spark job group, staged output, the metrics write), and every result reports itself
 * as metrics and one summary row.
 *
 * <p>Public API: {@link dev.nightjar.stage.Stage}, {@link dev.nightjar.stage.StageResult}, {@link
 * dev.nightjar.stage.SummaryRow} and {@link dev.nightjar.stage.StageAction#execute}. The rest of
 * the package is internal: no compatibility promise (docs/library.md).
 */
package dev.nightjar.stage;
