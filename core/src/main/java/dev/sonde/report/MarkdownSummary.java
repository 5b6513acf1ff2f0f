package dev.sonde.report;

import dev.sonde.analysis.RunVerdict;
import dev.sonde.baseline.Baselines;
import dev.sonde.analysis.CompareWinners;
import dev.sonde.analysis.Failures;
import dev.sonde.analysis.GraderTotals;
import dev.sonde.metrics.Fmt;
import dev.sonde.baseline.Comparison;
import dev.sonde.migration.ModelComparison;
import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.stats.LatencyStats;
import dev.sonde.analysis.RunSummary;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.md}: a GitHub-flavoured Markdown summary for {@code $GITHUB_STEP_SUMMARY} and PR
 * comments. Guarantees: a headline with the verdict — the console's and the report badge's word,
 * FAIL when a baseline gate failed — and whether the run was LIVE or on the emulator; one table
 * row per model plus a total row (trials, pass rate, errors, TTFT and e2e p50/p95, output tokens,
 * cost — "unpriced" instead of $0 when no price was known); at most
 * {@value #MAX_FAILURES} failing trials with their reasons, then "…and N more", and as many trials
 * not evaluated (none of their checks applied) in a list of their own; in the headline, the trials
 * never sent (a stopped run) and why, when any were; a line saying how many trials
 * were answered without timings and why, when any were; with a baseline
 * comparison, its section ({@link BaselineMarkdown}: gates, flips, latency and cost changes)
 * before the failing trials; for a suite with cache variants, their ranked table
 * ({@link CacheVariantsMarkdown}) first. Every cell is
 * escaped ({@code |}, inline markup, HTML tags, line breaks), so model output cannot break the
 * table or inject markup. Size stays bounded whatever the run length (trials are streamed).
 */
final class MarkdownSummary implements ReportFormat {
    static final String FILE = "summary.md";
    static final int MAX_FAILURES = Failures.MAX_SHOWN;
    static final int MAX_REASON_CHARS = 300;

    MarkdownSummary() {}

    @Override
    public String file() {
        return FILE;
    }

    @Override
    public Path write(RunReport r, Path file) throws IOException {
        return write(r.run(), r.comparison(), r.models(), r.readings(), file);
    }

    /**
     * @param comparison the baseline comparison to add as a section, or null
     * @param models the model comparison to add as a section ({@link MigrationMarkdown}), or null
     */
    static Path write(RunResult run, Comparison comparison, ModelComparison models, Readings readings, Path file)
            throws IOException {
        String md = render(run, comparison, models, readings);
        return AtomicFile.write(file, out -> out.write(md));
    }

    static String render(RunResult run) throws IOException {
        return render(run, null);
    }

    static String render(RunResult run, Comparison comparison) throws IOException {
        return render(run, comparison, null);
    }

    static String render(RunResult run, Comparison comparison, ModelComparison models) throws IOException {
        return render(run, comparison, models, Readings.of(run, false, Baselines.defaultPricing()));
    }

    static String render(RunResult run, Comparison comparison, ModelComparison models, Readings readings) {
        RunInfo info = run.info();
        RunSummary.Stats total = readings.summary.total();
        RunVerdict verdict = RunVerdict.of(readings.summary, run, models != null);
        // the console's and the report's word: failed baseline gates make it FAIL (exit 1) whatever the trials did
        boolean gatesFailed = comparison != null && !comparison.verdict().passed();
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(verdict.ok() && !gatesFailed ? "✅" : "❌").append(" Sonde · ")
                .append(Text.mdCell(info.suite())).append(" — **").append(gatesFailed ? RunVerdict.FAIL.word()
                        : verdict.word()).append("**\n\n");
        if (verdict == RunVerdict.PARTIAL) {
            sb.append("⚠️ **Partial merge**: ").append(Text.mdCell(info.merged().lacking()))
                    .append(" — these results are not the whole suite.\n\n");
        }
        sb.append(info.live() ? "🔴 **LIVE** `" + code(info.endpoint()) + "`" : "🧪 **EMULATOR** (offline)")
                .append(" · **").append(total.passed()).append('/').append(total.evaluated()).append("** passed");
        if (total.failed() > 0) {
            sb.append(" · ").append(total.failed()).append(" failed");
        }
        if (total.errored() > 0) {
            sb.append(" · ").append(total.errored()).append(" errored");
        }
        if (total.notEvaluated() > 0) {
            sb.append(" · ").append(total.notEvaluated()).append(" not evaluated");
        }
        if (readings.skipped.count() > 0) {
            sb.append(" · ").append(Text.mdCell(readings.skipped.line()));
        }
        sb.append(" · ").append(Fmt.instant(info.startedAt())).append(" · ").append(Fmt.duration(info.wallMs()))
                .append(" · run `").append(code(info.runId())).append("`\n\n");
        if (readings.filler.any()) {
            sb.append("🧩 ").append(readings.filler.line()).append("\n\n");
        }
        if (total.untimedTrials() > 0) {
            sb.append("⏱️ **Untimed:** ").append(total.untimedTrials()).append(" of ").append(total.trials())
                    .append(" trials ").append(Text.mdCell(total.untimedReason()))
                    .append("; checks that need a timing (latency, ttft, itl-p95) are *not applicable* to them\n\n");
        }

        sb.append("| Model | Trials | Pass rate | Errors | TTFT p50 / p95 | E2E p50 / p95 | Output tokens | Cost |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map.Entry<String, RunSummary.Stats> e : readings.summary.models().entrySet()) {
            row(sb, Text.mdCell(info.titled(e.getKey())), e.getValue());
        }
        if (readings.summary.models().size() != 1) {
            row(sb, "**Total**", total);
        }
        int afterTable = sb.length();
        MigrationMarkdown.append(sb, models, info.platforms());
        CacheVariantsMarkdown.append(sb, readings.cacheVariants());
        BaselineMarkdown.append(sb, comparison);
        appendCompared(sb, readings.analysis.compared());
        GraderTotals grader = readings.grader;
        appendFailures(sb, readings.failures);
        appendNotEvaluated(sb, readings.failures);
        if (grader.any()) {
            sb.insert(afterTable, "\n**Grader cost** (graded checks, not included in the costs above): " + grader.line()
                    + "\n");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, RunSummary.Stats s) {
        sb.append("| ").append(label)
                .append(" | ").append(s.trials())
                .append(" | ").append(Fmt.pct(s.passRate()))
                .append(" | ").append(s.errored())
                .append(" | ").append(p50p95(s.ttftMs()))
                .append(" | ").append(p50p95(s.e2eMs()))
                .append(" | ").append(Fmt.count(s.outputTokens()))
                .append(" | ").append(cost(s))
                .append(" |\n");
    }

    /** The cost, or a loud marker when some (or all) trials had no price: never a silent $0. */
    static String cost(RunSummary.Stats s) {
        if (s.unpricedTrials() == 0) {
            return Fmt.usd(s.costUsd());
        }
        if (s.unpricedTrials() == s.trials()) {
            return "⚠️ **unpriced**";
        }
        return Fmt.usd(s.costUsd()) + " ⚠️ **+" + s.unpricedTrials() + " unpriced**";
    }

    private static String p50p95(LatencyStats l) {
        return l == null || l.count() == 0 ? Fmt.NONE : Fmt.ms(l.p50()) + " / " + Fmt.ms(l.p95());
    }

    private static void appendFailures(StringBuilder sb, Failures failures) {
        List<TrialResult> shown = failures.shown();
        long notPassed = failures.notPassed();
        if (notPassed == 0) {
            return;
        }
        sb.append("\n### Failing trials (").append(notPassed).append(")\n\n");
        sb.append("| Trial | Status | Reason |\n| --- | --- | --- |\n");
        for (TrialResult t : shown) {
            sb.append("| ").append(Text.mdCell(t.displayName()))
                    .append(" | ").append(t.status())
                    .append(" | ").append(Text.mdCell(Text.truncate(Text.whyNot(t), MAX_REASON_CHARS)))
                    .append(" |\n");
        }
        if (notPassed > shown.size()) {
            sb.append("\n_…and ").append(notPassed - shown.size())
                    .append(" more — see `report.html` or `junit.xml`._\n");
        }
    }

    /** At most this many cases are listed under "Compared across models". */
    private static final int MAX_COMPARED = 20;

    /** Per case with a compare assertion: who won most of its groups ({@code select-best}, {@code max-score}). */
    private static void appendCompared(StringBuilder sb, CompareWinners compared) {
        if (compared.isEmpty()) {
            return;
        }
        sb.append("\n**Compared across models** (select-best, max-score):\n\n");
        List<CompareWinners.Tally> tallies = compared.tallies();
        for (CompareWinners.Tally t : tallies.subList(0, Math.min(MAX_COMPARED, tallies.size()))) {
            sb.append("- `").append(code(t.caseId())).append("` ").append(Text.mdCell(t.line())).append('\n');
        }
        if (tallies.size() > MAX_COMPARED) {
            sb.append("- … and ").append(tallies.size() - MAX_COMPARED).append(" more (compare.jsonl)\n");
        }
    }

    private static void appendNotEvaluated(StringBuilder sb, Failures failures) {
        if (failures.notEvaluated() == 0) {
            return;
        }
        List<TrialResult> shown = failures.notEvaluatedShown();
        sb.append("\n### Not evaluated (").append(failures.notEvaluated())
                .append("): no check applied, so neither passed nor failed\n\n");
        sb.append("| Trial | Reason |\n| --- | --- |\n");
        for (TrialResult t : shown) {
            sb.append("| ").append(Text.mdCell(t.displayName()))
                    .append(" | ").append(Text.mdCell(Text.truncate(Text.whyNot(t), MAX_REASON_CHARS)))
                    .append(" |\n");
        }
        if (failures.notEvaluated() > shown.size()) {
            sb.append("\n_…and ").append(failures.notEvaluated() - shown.size()).append(" more._\n");
        }
    }

    /** Text for inside a code span: backticks cannot close it, line breaks cannot split the line. */
    private static String code(String s) {
        return s == null ? "" : Text.oneLine(s).replace('`', '\'');
    }
}
