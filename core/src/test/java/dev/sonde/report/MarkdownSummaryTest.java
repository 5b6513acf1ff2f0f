package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.check.CheckResult;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.run.RunResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownSummaryTest {
    @TempDir
    Path dir;

    @Test
    void headline_states_verdict_and_emulator_or_live() throws Exception {
        assertThat(MarkdownSummary.render(ReportFixture.run(dir, false)))
                .startsWith("## ❌ Sonde · regression — **FAIL**\n")
                .contains("**EMULATOR** (offline)")
                .contains("**3/6** passed · 2 failed · 1 errored");
        assertThat(MarkdownSummary.render(ReportFixture.run(dir.resolve("live"), true)))
                .contains("🔴 **LIVE** `https://api.anthropic.com`");
        assertThat(MarkdownSummary.render(ReportFixture.allPassing(dir)))
                .startsWith("## ✅ Sonde · regression — **PASS**\n")
                .doesNotContain("Failing trials");
    }

    @Test
    void one_table_row_per_model_plus_total_with_unpriced_marker() throws Exception {
        List<String> lines = MarkdownSummary.render(ReportFixture.run(dir, false)).lines().toList();
        List<String> rows = lines.stream().filter(l -> l.startsWith("| ") && !l.startsWith("| ---")).toList();
        assertThat(rows.get(0)).startsWith("| Model | Trials | Pass rate |");
        assertThat(rows.get(1)).startsWith("| sonnet | 4 | 50.0% | 0 | ").endsWith(" | 160 | $0.00834 |");
        assertThat(rows.get(2)).startsWith("| local | 2 | 50.0% | 1 | 35.0 ms / 35.0 ms | 120 ms / 120 ms | 40 |")
                .endsWith(" | ⚠️ **unpriced** |");
        assertThat(rows.get(3)).startsWith("| **Total** | 6 | 50.0% | 1 | ")
                .endsWith(" | $0.00834 ⚠️ **+2 unpriced** |");
        assertThat(rows.get(4)).startsWith("| Trial | Status | Reason |");
    }

    @Test
    void failing_trials_are_listed_with_escaped_reasons() throws Exception {
        String md = MarkdownSummary.render(ReportFixture.run(dir, false));
        assertThat(md).contains("### Failing trials (3)")
                .contains("| summarize &lt;doc&gt; \\[sonnet\\] | failed | contains: expected \"summary\" \\| "
                        + "not found &lt;b&gt;bold&lt;/b&gt;; llm\\_rubric: score 0.40 below 0.7<br>second reason line |")
                .contains("| summarize &lt;doc&gt; \\[local\\] | errored | rate\\_limited (429 rate\\_limit\\_error): "
                        + "Too many requests &amp; slow down |")
                .doesNotContain("<b>")
                .doesNotContain("and 0 more");
        md.lines().filter(l -> l.startsWith("| summarize")).forEach(row ->
                assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).isEqualTo(4));
    }

    @Test
    void failing_list_is_capped_with_and_n_more() throws Exception {
        Path journal = dir.resolve("many").resolve("trials.jsonl");
        int trials = MarkdownSummary.MAX_FAILURES + 7;
        try (Journal j = Journal.open(journal)) {
            for (int i = 0; i < trials; i++) {
                j.append(TrialResult.builder("t" + i, "case" + i, "sonnet", "claude", 0).stopReason("end_turn")
                        .outputText("x").timings(TimingsMillis.of(Timings.NONE, 0))
                        .checks(List.of(CheckResult.fail("equals", "no"))).attempts(1).startedAt(ReportFixture.START)
                        .build());
            }
        }
        RunResult base = ReportFixture.allPassing(dir);
        RunResult run = new RunResult(base.info(), journal, journal.getParent());
        String md = MarkdownSummary.render(run);
        assertThat(md).contains("### Failing trials (" + trials + ")").contains("_…and 7 more — see `report.html`");
        assertThat(md.lines().filter(l -> l.startsWith("| case"))).hasSize(MarkdownSummary.MAX_FAILURES);
    }

    @Test
    void empty_run_is_a_failure_with_only_the_total_row() throws Exception {
        String md = MarkdownSummary.render(ReportFixture.empty(dir));
        assertThat(md).startsWith("## ❌").contains("**0/0** passed")
                .contains("| **Total** | 0 | 0.0% | 0 | — | — | 0 | $0.00 |").doesNotContain("Failing trials");
    }

    @Test
    void cells_escape_pipes_newlines_and_html() {
        assertThat(Text.mdCell(" a|b\r\nc\nd <script>&x ")).isEqualTo("a\\|b<br>c<br>d &lt;script&gt;&amp;x");
        assertThat(Text.mdCell("**bold** `code` _it_ [l](u)")).isEqualTo("\\*\\*bold\\*\\* \\`code\\` \\_it\\_ \\[l\\](u)");
    }
}
