package dev.sonde.migration;

import dev.sonde.stats.CaseBootstrap;
import dev.sonde.suite.CompareSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The cost side of a model comparison ({@link ModelComparison.CostChange}). Over the paired cases
 * where both models have a priced trial: cost per request = the mean over cases of each case's
 * mean cost per trial, weighted by the volume's {@code per_case} requests (equal weights
 * otherwise); monthly = per request × requests a month ({@code requests_per_month}, or the sum of
 * the {@code per_case} weights over those cases). The blend for "migrate, except" uses the same
 * weights with the newly failing cases at the baseline's cost. The 95 % CIs come from {@link CaseBootstrap}
 * over cases, the same resamples for both models, so the ratio's CI is a paired one. Pure.
 */
final class CostProjection {

    private CostProjection() {}

    /**
     * @param newlyFailing the paired cases the baseline passes and the candidate fails: the blend
     *     ({@code except_*}) prices them at the baseline's cost, as they would stay there
     */
    static <D> ModelComparison.CostChange of(CompareSpec.Volume volume, List<String> paired, List<String> newlyFailing,
            Map<String, D> base, Map<String, D> cand, Predicate<D> unpriced, ToDoubleFunction<D> meanCost,
            ToDoubleFunction<D> totalCost) {
        boolean anyUnpriced = paired.stream().anyMatch(id -> unpriced.test(base.get(id)) || unpriced.test(cand.get(id)));
        List<String> ids = paired.stream()
                .filter(id -> Double.isFinite(meanCost.applyAsDouble(base.get(id)))
                        && Double.isFinite(meanCost.applyAsDouble(cand.get(id))))
                .toList();
        if (anyUnpriced || ids.isEmpty()) {
            return new ModelComparison.CostChange(anyUnpriced, ids.size(), null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null);
        }
        int n = ids.size();
        double[] b = ids.stream().mapToDouble(id -> meanCost.applyAsDouble(base.get(id))).toArray();
        double[] c = ids.stream().mapToDouble(id -> meanCost.applyAsDouble(cand.get(id))).toArray();
        double[] w = ids.stream().mapToDouble(id -> weight(volume, id)).toArray();
        double baseTotal = paired.stream().mapToDouble(id -> totalCost.applyAsDouble(base.get(id))).sum();
        double candTotal = paired.stream().mapToDouble(id -> totalCost.applyAsDouble(cand.get(id))).sum();
        int[] all = CaseBootstrap.all(n);
        double bMean = CaseBootstrap.weightedMean(b, w, all);
        double cMean = CaseBootstrap.weightedMean(c, w, all);
        double[] bCi = CaseBootstrap.ci(n, d -> CaseBootstrap.weightedMean(b, w, d));
        double[] cCi = CaseBootstrap.ci(n, d -> CaseBootstrap.weightedMean(c, w, d));
        double[] ratioCi = CaseBootstrap.ci(n, d -> {
            double bm = CaseBootstrap.weightedMean(b, w, d);
            return bm > 0 ? CaseBootstrap.weightedMean(c, w, d) / bm : Double.NaN;
        });
        Double perMonth = requestsPerMonth(volume, ids);
        Double exceptMean = null;
        if (!newlyFailing.isEmpty()) {
            double[] blend = new double[n];
            for (int i = 0; i < n; i++) {
                blend[i] = newlyFailing.contains(ids.get(i)) ? b[i] : c[i];
            }
            exceptMean = finite(CaseBootstrap.weightedMean(blend, w, all));
        }
        return new ModelComparison.CostChange(false, n, baseTotal, candTotal,
                finite(bMean), Migration.low(bCi), Migration.high(bCi),
                finite(cMean), Migration.low(cCi), Migration.high(cCi),
                bMean > 0 ? cMean / bMean : null, Migration.low(ratioCi), Migration.high(ratioCi),
                times(perMonth, bMean), times(perMonth, Migration.low(bCi)), times(perMonth, Migration.high(bCi)),
                times(perMonth, cMean), times(perMonth, Migration.low(cCi)), times(perMonth, Migration.high(cCi)),
                exceptMean, times(perMonth, exceptMean));
    }

    /** A case's requests a month under {@code per_case}; 1 (equal weights) otherwise. */
    static double weight(CompareSpec.Volume volume, String caseId) {
        return volume.perCase().isEmpty() ? 1 : volume.perCase().getOrDefault(caseId, 0.0);
    }

    /** Requests a month the projection covers, or null without a volume. */
    static Double requestsPerMonth(CompareSpec.Volume volume, List<String> ids) {
        if (volume.requestsPerMonth() != null) {
            return volume.requestsPerMonth();
        }
        if (volume.perCase().isEmpty()) {
            return null;
        }
        return ids.stream().mapToDouble(id -> weight(volume, id)).sum();
    }

    private static Double times(Double a, Double b) {
        return a == null || b == null || !Double.isFinite(b) ? null : a * b;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
