package dev.sonde.run;

import dev.sonde.suite.LoadSpec;
import java.util.List;

/**
 * What a benchmark's report draws beyond its steps, from the same pass over the journal: the SLO
 * bounds its charts mark (null where the suite set none), each step's warm-up, each step's percentile curves and the
 * run over time.
 */
public record LoadDetail(Double sloTtftMs, Double sloItlMs, Double sloE2eMs, double warmupS,
        List<StepDistribution> distributions, LoadTimeline timeline) {

    /** The detail of a run under {@code spec}, read from its folds once the pass is over. */
    public static LoadDetail of(LoadSpec spec, LoadRunner.StepFold steps, LoadTimeline.Fold timeline) {
        LoadSpec.Slo slo = spec.slo() == null ? LoadSpec.Slo.NONE : spec.slo();
        return new LoadDetail(slo.ttftMs(), slo.itlMs(), slo.e2eMs(), spec.warmup().toMillis() / 1000.0,
                steps.distributions(), timeline.timeline());
    }
}
