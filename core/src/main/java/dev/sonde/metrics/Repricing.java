package dev.sonde.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-prices a recorded run's usage under another model's prices, without calling any API: the
 * cost side of a migration. Feed it every journaled trial with {@link #add} (one at a time, in
 * any order, so a run of any length is read in one streaming pass: memory grows with the number
 * of source models, not of trials), then take the {@link #report()}.
 *
 * <p>For each source model label it sums the tokens by kind (uncached input, 5 m and 1 h cache
 * writes, cache reads, output) exactly as {@link Usage} reads them (a write without the TTL split
 * counts as 5 m), the recorded cost (the trials' {@code cost_usd}; trials recorded as unpriced
 * are counted, never taken as $0), and the cost of the same tokens at the target's prices by kind.
 * The batch tier is kept per trial: a trial whose {@code usage.service_tier} is {@code batch} is
 * repriced at the target's batch price. {@code ratio} and {@code differenceUsd} compare only the
 * trials that had a recorded cost, so a partly unpriced run still compares like with like.
 *
 * <p><b>Caveat: the same tokens at the other price.</b> Token counts differ between model
 * families (each has its own tokenizer, and models differ in how much they write), so this
 * answers "what would these exact token counts cost at the other model's prices", not "what
 * would the other model have used". Run the suite against the other model to learn the latter.
 *
 * <p>Recorded costs sum every attempt of a trial that returned usage, while the journal keeps only
 * the last attempt's {@code usage}; a trial retried after a response with usage therefore
 * reprices slightly below its recorded cost even at the same prices.
 *
 * <p>Not thread-safe: one instance per pass. Skipped trials (never sent) are counted apart and
 * carry no tokens.
 */
public final class Repricing {
    /** The caveat every presentation of a repricing carries (see the class comment). */
    public static final String CAVEAT = "same tokens at the other price: model families tokenize differently, so the"
            + " other model's token counts (and so its real cost) would differ";

    private final PricingTable pricing;
    private final String targetModel;
    private final ModelPrice targetPrice;
    private final Map<String, Tally> bySourceModel = new LinkedHashMap<>();
    private final Tally total = new Tally(null, null);

    private Repricing(PricingTable pricing, String targetModel, ModelPrice targetPrice) {
        this.pricing = pricing;
        this.targetModel = targetModel;
        this.targetPrice = targetPrice;
    }

    /**
     * Starts a repricing under {@code targetModel}'s prices in {@code pricing}: a model id, or a
     * platform price key ({@code bedrock/us-east-1/us.anthropic.claude-haiku-4-5-20251001-v1:0},
     * {@code vertex/global/claude-haiku-4-5@20251001}, {@code foundry/-/claude-haiku-4-5}) to price
     * the run as if it had run there (regional premium included).
     *
     * @throws IllegalArgumentException when the target model has no price; the message names the
     *     model and how to add a price
     */
    public static Repricing to(String targetModel, PricingTable pricing) {
        ModelPrice price = pricing.priceOf(targetModel).orElseThrow(() -> new IllegalArgumentException(
                targetModel + " has no price in the pricing table (version " + pricing.version()
                        + PriceKey.parse(targetModel).map(k -> "; on " + k.platform() + " it is priced as "
                                + k.anthropicId()).orElse("")
                        + "): add it to a pricing file as models: {\"" + targetModel
                        + "\": {input: USD_PER_MTOK, output: USD_PER_MTOK}} and pass it with --pricing FILE"));
        return new Repricing(pricing, targetModel, price);
    }

    /**
     * Counts one journaled trial.
     *
     * @param model the source model's label in the suite (the trial's {@code model})
     * @param modelId the API model id the trial was sent to (its {@code model_id})
     * @param usage the trial's {@code usage} object as journaled; null or absent counters are 0
     * @param recordedCostUsd the trial's {@code cost_usd}, null when it was unpriced
     * @param skipped true when the trial was never sent (its {@code skipped} reason is set)
     */
    public void add(String model, String modelId, JsonNode usage, Double recordedCostUsd, boolean skipped) {
        Tally t = bySourceModel.computeIfAbsent(model, m -> new Tally(m, modelId));
        if (skipped) {
            t.skippedTrials++;
            total.skippedTrials++;
            return;
        }
        Usage u = Usage.fromJson(usage);
        CostByKind repriced = CostByKind.of(pricing, targetModel, u).orElseThrow();
        t.add(u, repriced, recordedCostUsd);
        total.add(u, repriced, recordedCostUsd);
    }

    /** The totals so far: one row per source model label in first-seen order, and the run's total. */
    public Report report() {
        List<Row> rows = new ArrayList<>(bySourceModel.size());
        bySourceModel.values().forEach(t -> rows.add(t.row()));
        return new Report(targetModel, PriceKey.parse(targetModel).map(PriceKey::label).orElse(null),
                targetPrice.inputPerMTok(), targetPrice.outputPerMTok(), pricing.version(), List.copyOf(rows),
                total.row(), CAVEAT);
    }

    /**
     * A repricing's result, serialized snake_case as {@code reprice-<model>.json}.
     *
     * @param targetModel the model id or platform price key repriced at, as given
     * @param targetPlatform where the target runs, {@code bedrock · us-east-1}; absent for a plain model id
     * @param targetInputUsdPerMTok the target's base input price (before cache and batch multipliers; a
     *     platform's regional premium included)
     * @param models one row per source model label, in the journal's first-seen order
     * @param total every trial of the run; its {@code model} and {@code modelId} are null
     * @param caveat {@link #CAVEAT}, so the file carries it too
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Report(
            String targetModel,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String targetPlatform,
            double targetInputUsdPerMTok,
            double targetOutputUsdPerMTok,
            String pricingVersion,
            List<Row> models,
            Row total,
            String caveat) {}

    /**
     * One source model's trials (or the run's total) repriced.
     *
     * @param trials trials that were sent (skipped ones excluded)
     * @param skippedTrials trials never sent; they carry no tokens and no cost
     * @param batchTrials sent trials whose {@code usage.service_tier} was {@code batch}
     * @param recordedUsd sum of the recorded {@code cost_usd}; null when no trial had one
     * @param unpricedTrials sent trials recorded without a cost (their model was unpriced then)
     * @param repricedByKind every sent trial's tokens at the target's prices, by kind
     * @param repricedUsd the total of {@code repricedByKind}
     * @param comparedTrials sent trials that had a recorded cost: the ones {@code ratio} compares
     * @param repricedComparedUsd the repriced cost of the compared trials only
     * @param ratio {@code repricedComparedUsd / recordedUsd}; null when nothing was recorded or it was $0
     * @param differenceUsd {@code repricedComparedUsd - recordedUsd} (negative = cheaper); null when
     *     nothing was recorded
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Row(
            String model,
            String modelId,
            long trials,
            long skippedTrials,
            long batchTrials,
            TokensByKind tokens,
            Double recordedUsd,
            long unpricedTrials,
            CostByKind repricedByKind,
            double repricedUsd,
            long comparedTrials,
            double repricedComparedUsd,
            Double ratio,
            Double differenceUsd) {}

    private static final class Tally {
        private final String model;
        private final String modelId;
        private long trials;
        private long skippedTrials;
        private long batchTrials;
        private long unpricedTrials;
        private long comparedTrials;
        private TokensByKind tokens = TokensByKind.ZERO;
        private CostByKind repriced = CostByKind.ZERO;
        private double recordedUsd;
        private double repricedComparedUsd;

        Tally(String model, String modelId) {
            this.model = model;
            this.modelId = modelId;
        }

        void add(Usage u, CostByKind repricedCost, Double recordedCostUsd) {
            trials++;
            if ("batch".equals(u.serviceTier())) {
                batchTrials++;
            }
            tokens = tokens.plus(TokensByKind.of(u));
            repriced = repriced.plus(repricedCost);
            if (recordedCostUsd == null) {
                unpricedTrials++;
            } else {
                comparedTrials++;
                recordedUsd += recordedCostUsd;
                repricedComparedUsd += repricedCost.totalUsd();
            }
        }

        Row row() {
            Double recorded = comparedTrials == 0 ? null : recordedUsd;
            Double ratio = recorded == null || recordedUsd == 0 ? null : repricedComparedUsd / recordedUsd;
            Double difference = recorded == null ? null : repricedComparedUsd - recordedUsd;
            return new Row(model, modelId, trials, skippedTrials, batchTrials, tokens, recorded, unpricedTrials,
                    repriced, repriced.totalUsd(), comparedTrials, repricedComparedUsd, ratio, difference);
        }
    }
}
