package dev.nightjar.optimize;

import java.util.List;
import dev.nightjar.model.ServingDecision;

/** What the optimize stage committed: every variant's measurements and the serving decision. */
public record OptimizeResult(String optimizedDir, List<VariantResult> variants, ServingDecision serving,
    double seconds) {}
