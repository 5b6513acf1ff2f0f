package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.analysis.Aggregates;
import dev.sonde.analysis.CacheVariantAnalysis;
import dev.sonde.analysis.CacheVariantReport;
import dev.sonde.analysis.TrialMeasures;
import dev.sonde.journal.Journal;
import dev.sonde.journal.SequenceManifest;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.CostByKind;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.TokensByKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charts that have nothing to show say so in one line; a cache-placement run's charts are per variant. */
class ChartsTest {
    @TempDir
    Path dir;

    private static Aggregates.Snapshot oneCase(TokensByKind tokens) {
        Aggregates a = new Aggregates();
        a.add("greet", "sonnet", new TrialMeasures(true, false, 300.0, 100.0, 500.0, new double[] {5}, 80.0, tokens,
                0.001, CostByKind.ZERO));
        return a.snapshot();
    }

    @Test
    void a_run_without_caching_gets_one_line_instead_of_an_all_zero_cache_chart() {
        SvgChart none = Charts.cacheByCase(oneCase(new TokensByKind(1000, 0, 0, 0, 10)), List.of("sonnet"));
        assertThat(none.empty()).isEqualTo("No prompt caching in this run: no prompt token was written to or read from"
                + " the cache.");
        assertThat(none.shapes()).isEmpty();
        assertThat(none.series()).isZero();

        SvgChart unread = Charts.cacheByCase(oneCase(new TokensByKind(100, 900, 0, 0, 10)), List.of("sonnet"));
        assertThat(unread.empty()).isEqualTo("The cache was written (900 tokens) but never read in this run: every hit"
                + " ratio is 0 %.");

        SvgChart read = Charts.cacheByCase(oneCase(new TokensByKind(100, 0, 0, 900, 10)), List.of("sonnet"));
        assertThat(read.empty()).isEmpty();
        assertThat(read.series()).isEqualTo(1);
        assertThat(read.shapes()).anyMatch(s -> s.tag().equals("rect") && s.tooltip().startsWith("greet · sonnet: 90.0%"));
    }

    private static JsonNode usage(int input, int w5m, int read) throws Exception {
        return Journal.JSON.readTree("{\"input_tokens\":" + input + ",\"output_tokens\":10,\"cache_creation_input_tokens\":"
                + w5m + ",\"cache_read_input_tokens\":" + read + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":"
                + w5m + ",\"ephemeral_1h_input_tokens\":0}}");
    }

    private static TrialResult trial(String id, JsonNode usage, double cost, double ttftMs) {
        TimingsMillis t = new TimingsMillis(ttftMs, ttftMs, ttftMs, ttftMs, new double[0], 1, null, null);
        return TrialResult.builder(id, "c", "m", "claude-sonnet-4-6", 0).pass(true).requestId("req")
                .stopReason("end_turn").outputText("ok").timings(t).usage(usage).costUsd(cost).unpriced(false)
                .cacheSavingsUsd(0.0).attempts(1).startedAt(Instant.EPOCH).build();
    }

    /** "none" pays 1,000 input tokens a request; "system-5m" writes 900 once, then reads them. */
    private CacheVariantReport twoVariants() throws Exception {
        new SequenceManifest(1, true, 3601, List.of(
                new SequenceManifest.Variant("none", null, "no caching", List.of(), 3, List.of(60.0), 1, false),
                new SequenceManifest.Variant("system-5m", null, "5m TTL on system",
                        List.of(new SequenceManifest.Placement("system", "5m")), 3, List.of(60.0), 1, false)))
                .write(dir);
        try (Journal j = Journal.open(dir.resolve("trials.jsonl"))) {
            for (int i = 0; i < 3; i++) {
                j.append(trial("c/m/none/" + i, usage(1000, 0, 0), 0.0030, 400));
            }
            j.append(trial("c/m/system-5m/0", usage(100, 900, 0), 0.0037, 410));
            j.append(trial("c/m/system-5m/1", usage(100, 0, 900), 0.0006, 250));
            j.append(trial("c/m/system-5m/2", usage(100, 0, 900), 0.0006, 260));
        }
        return CacheVariantAnalysis.of(dir).orElseThrow();
    }

    @Test
    void each_cache_variant_gets_its_own_bars_for_cost_prompt_tokens_and_ttft_in_ranking_order() throws Exception {
        List<SvgChart> charts = CacheVariantCharts.all(twoVariants());

        assertThat(charts).extracting(SvgChart::id).containsExactly("variant-cost", "variant-prompt", "variant-ttft");
        assertThat(charts).allSatisfy(c -> assertThat(c.series()).as(c.id()).isEqualTo(2));
        SvgChart cost = charts.get(0);
        assertThat(cost.shapes().stream().filter(s -> s.tag().equals("rect")).map(SvgChart.Shape::series))
                .as("cheapest first").containsExactly("system-5m", "none");
        assertThat(cost.labels()).extracting(SvgChart.Label::text)
                .contains("#1 system-5m", "#2 none", "$0.00163 · \u221246%", "$0.00300 · baseline");
        assertThat(cost.shapes()).as("the baseline's cost as a dashed line").anyMatch(s -> s.cls().equals("ref"));

        SvgChart prompt = charts.get(1);
        assertThat(prompt.shapes()).filteredOn(s -> s.series().equals("system-5m")).extracting(SvgChart.Shape::tooltip)
                .containsExactly("system-5m · uncached input: 300 of 3,000 prompt tokens (10.0%)",
                        "system-5m · cache write 5m: 900 of 3,000 prompt tokens (30.0%)",
                        "system-5m · cache read: 1,800 of 3,000 prompt tokens (60.0%)");
        assertThat(prompt.labels()).extracting(SvgChart.Label::text).contains("60.0% hit", "0.0% hit");

        SvgChart ttft = charts.get(2);
        assertThat(ttft.labels()).extracting(SvgChart.Label::text).contains("260 ms / 410 ms", "400 ms / 400 ms");
    }
}
