package dev.sonde.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * A suite's {@code compare:} section evaluated on a finished run: each candidate model against the
 * baseline model on the same cases, as {@code results.json} carries it under
 * {@code model_comparison} (snake_case). Every figure of the recommendation text is a field here.
 *
 * <p>Definitions. A <em>case passes on a model</em> when every repeat of it on that model passed
 * (errored and skipped repeats count as not passing); cases run on both models are paired.
 * Fractions are 0–1 unless named {@code _pp} (percentage points) or {@code _pct}. Costs are USD
 * from the journaled {@code cost_usd} (usage × the pricing table). Methods, named in
 * {@link #methods()}: exact McNemar test, Newcombe's hybrid score interval for paired proportions,
 * seeded percentile bootstrap ({@value dev.sonde.stats.CaseBootstrap#REPLICATES} replicates, seed
 * {@value dev.sonde.stats.CaseBootstrap#SEED}) over cases for costs, tokens and latency
 * percentiles (a case's trials resampled together). Percentiles are nearest-rank ({@code ceil(q·n)}-th smallest).
 *
 * @param baseline the baseline's {@code models[].id}
 * @param passRule how repeats make a case's pass ({@code all_repeats})
 * @param repeats {@code run.repeat}
 * @param volume the traffic used for monthly projections
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelComparison(String baseline, String baselineModel, String passRule, int repeats,
        double maxPassRateDropPp, int maxExceptedCases, Volume volume, List<String> methods,
        List<Candidate> candidates) {

    public ModelComparison {
        methods = List.copyOf(methods);
        candidates = List.copyOf(candidates);
    }

    /**
     * @param basis {@code requests_per_month}, {@code per_case} or {@code none}
     * @param requestsPerMonth the total requests a month the projection assumes (the sum of the
     *     weights for {@code per_case}); null when no volume was given
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Volume(String basis, Double requestsPerMonth, Map<String, Double> perCase) {}

    /**
     * One candidate against the baseline. {@code name} is what the text calls it (the API model id).
     * {@code baselineErrored}/{@code candidateErrored}: trials of the paired cases whose exchange
     * failed — they fail their case but add nothing to cost, tokens or latency.
     * {@code paramDifferences}: one clause per request parameter the two models are sent
     * differently (thinking, max_tokens, temperature, …), empty when they match; such a difference,
     * not the model, may drive the cost, token and latency figures.
     * {@code sameOutput}: how often the candidate answered byte for byte as the baseline did; null in a
     * {@code results.json} written before it.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Candidate(String model, String modelId, String name, String baselineName, Agreement agreement,
            PassRate passRate, CostChange cost, List<LatencyChange> latency, TokenChange tokens,
            Recommendation recommendation, long baselineErrored, long candidateErrored,
            List<String> paramDifferences, SameOutput sameOutput) {}

    /**
     * Output identity per paired trial: {@code paired} trials of the paired cases with the same case
     * and repeat index answered on both models (neither errored nor skipped), {@code identical} of
     * them with byte-identical final text and tool calls (name and input). The same model on two
     * platforms should answer identically at temperature 0; two different models show how often they
     * agree verbatim.
     */
    public record SameOutput(long paired, long identical) {}

    /**
     * Per-case agreement over {@code cases} paired cases: both pass, newly failing (baseline passes,
     * candidate does not), newly passing, both fail; {@code unpaired} cases ran on one model only;
     * {@code notEvaluatedCases} ran on both but have no verdict on one side (every trial's checks were
     * inapplicable there, such as a latency bound on a batch answer): they count in cost, tokens and
     * latency and in neither the pass rate nor {@code cases}.
     * {@code results.json} also carries the sums the paragraph quotes: {@code baseline_passes},
     * {@code candidate_passes} and {@code agree} (both pass + both fail).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Agreement(long cases, long bothPass, long newlyFailing, long newlyPassing, long bothFail,
            List<String> newlyFailingCases, List<String> newlyPassingCases, List<String> unpairedCases,
            List<String> notEvaluatedCases) {
        public Agreement {
            notEvaluatedCases = notEvaluatedCases == null ? List.of() : notEvaluatedCases; // a results.json before it
        }

        @JsonProperty("baseline_passes")
        public long baselinePasses() {
            return bothPass + newlyFailing;
        }

        @JsonProperty("candidate_passes")
        public long candidatePasses() {
            return bothPass + newlyPassing;
        }

        /** Paired cases both models pass or both fail. */
        @JsonProperty("agree")
        public long agree() {
            return bothPass + bothFail;
        }
    }

    /**
     * Pass rates over the paired cases, their difference (candidate − baseline) in percentage
     * points with its 95 % CI ({@code ciMethod}; {@code ci_width_pp} = high − low), and the exact
     * McNemar p on the discordant cases.
     *
     * <p>{@code minDetectableDropCases}: the fewest newly failing cases, none newly passing, that the
     * exact McNemar test finds significant at 5 % (6); {@code minDetectableDropPp}: that many as
     * percentage points of the paired cases — no smaller drop can be shown on this many cases,
     * however they turn out (null when there are fewer paired cases than that: no drop can be).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PassRate(double baselineRate, double candidateRate, double differencePp, Double ciLowPp,
            Double ciHighPp, String ciMethod, double mcnemarP, int minDetectableDropCases,
            Double minDetectableDropPp) {

        @JsonProperty("ci_width_pp")
        public Double ciWidthPp() {
            return ciLowPp == null || ciHighPp == null ? null : ciHighPp - ciLowPp;
        }
    }

    /**
     * Cost. Totals are every priced trial of the paired cases in this run. Per request: the
     * volume-weighted mean over cases of each case's mean cost per trial (equal weights without a
     * {@code per_case} volume), with bootstrap CIs; {@code ratio} = candidate / baseline per request.
     * Monthly = per request × requests a month (null without a volume). {@code exceptPerRequestUsd}
     * and {@code exceptMonthlyUsd}: the blend when the newly failing cases stay on the baseline
     * (those cases at the baseline's cost, the rest at the candidate's), null when no case newly
     * fails. Errored trials are left out (an exchange that failed is not a cheaper answer).
     * Everything but {@code unpriced} is null when either model had an unpriced trial.
     * {@code results.json} also carries the changes the paragraph quotes for an upgrade:
     * {@code per_request_change_usd} and {@code monthly_change_usd} (candidate − baseline, all
     * traffic on the candidate).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CostChange(boolean unpriced, long cases, Double baselineTotalUsd, Double candidateTotalUsd,
            Double baselinePerRequestUsd, Double baselinePerRequestCiLow, Double baselinePerRequestCiHigh,
            Double candidatePerRequestUsd, Double candidatePerRequestCiLow, Double candidatePerRequestCiHigh,
            Double ratio, Double ratioCiLow, Double ratioCiHigh, Double baselineMonthlyUsd,
            Double baselineMonthlyCiLow, Double baselineMonthlyCiHigh, Double candidateMonthlyUsd,
            Double candidateMonthlyCiLow, Double candidateMonthlyCiHigh, Double exceptPerRequestUsd,
            Double exceptMonthlyUsd) {

        @JsonProperty("per_request_change_usd")
        public Double perRequestChangeUsd() {
            return candidatePerRequestUsd == null || baselinePerRequestUsd == null ? null
                    : candidatePerRequestUsd - baselinePerRequestUsd;
        }

        @JsonProperty("monthly_change_usd")
        public Double monthlyChangeUsd() {
            return candidateMonthlyUsd == null || baselineMonthlyUsd == null ? null
                    : candidateMonthlyUsd - baselineMonthlyUsd;
        }
    }

    /**
     * One latency metric ({@code ttft_ms} or {@code e2e_ms}) over every successful trial of the
     * paired cases: p50 and p95 of each model with bootstrap CIs, and each change
     * (candidate / baseline − 1) with its CI. The CIs resample cases with all their trials
     * (cluster bootstrap), the same cases for both models. Null values when a side has no samples.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LatencyChange(String metric, long baselineCount, long candidateCount, Quantile p50,
            Quantile p95) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Quantile(Double baseline, Double baselineCiLow, Double baselineCiHigh, Double candidate,
            Double candidateCiLow, Double candidateCiHigh, Double change, Double changeCiLow, Double changeCiHigh) {}

    /**
     * Output and thinking tokens per case (mean over repeats), averaged over the paired cases; each
     * difference is candidate − baseline with a bootstrap CI over cases.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenChange(long cases, Double baselineOutputPerCase, Double candidateOutputPerCase,
            Double outputDifference, Double outputDifferenceCiLow, Double outputDifferenceCiHigh,
            Double outputChange, Double baselineThinkingPerCase, Double candidateThinkingPerCase,
            Double thinkingDifference, Double thinkingDifferenceCiLow, Double thinkingDifferenceCiHigh) {}

    /**
     * What to do, why, and the paragraph saying it. {@code resolvesTolerance}: the paired cases are
     * enough to show a drop as small as {@code max_pass_rate_drop_pp}
     * ({@code pass_rate.min_detectable_drop_pp} ≤ it); when not, the paragraph says so and what
     * the decision rests on ({@code basis}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Recommendation(Decision decision, List<String> exceptCases, List<String> reasons, String text,
            Basis basis, boolean resolvesTolerance) {}

    /**
     * The four options, best first (README "Model migration" has the table): {@code migrate} —
     * cheaper or faster beyond noise and no case newly fails; {@code migrate, except} — cheaper or
     * faster, the newly failing cases stay on the baseline; {@code upgrade} — neither cheaper nor
     * faster, but it passes cases the baseline fails and newly fails none (quality for its cost);
     * {@code don't migrate} — anything else.
     */
    public enum Decision {
        MIGRATE, MIGRATE_EXCEPT, UPGRADE, DONT_MIGRATE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** {@code migrate}, {@code migrate, except}, {@code upgrade}, {@code don't migrate}. */
        public String label() {
            return switch (this) {
                case MIGRATE -> "migrate";
                case MIGRATE_EXCEPT -> "migrate, except";
                case UPGRADE -> "upgrade";
                case DONT_MIGRATE -> "don't migrate";
            };
        }
    }

    /**
     * What decided: {@code case_agreement} — which cases newly fail or newly pass (migrate with none
     * newly failing, at most {@code max_excepted_cases} excepted, upgrade); {@code tolerance_bound}
     * — more cases newly fail than may be excepted, so the pass-rate CI's lower bound against
     * {@code max_pass_rate_drop_pp} decides; {@code cost_and_latency} — no gain beyond noise and no
     * upgrade, whatever the cases did.
     */
    public enum Basis {
        CASE_AGREEMENT, TOLERANCE_BOUND, COST_AND_LATENCY;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
