package dev.sonde.report;

import dev.sonde.analysis.RunVerdict;
import dev.sonde.metrics.Fmt;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.sonde.baseline.Comparison;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.stats.LatencyStats;
import dev.sonde.analysis.RunSummary;
import dev.sonde.analysis.SkippedTrials;
import dev.sonde.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code report.html} shows, already formatted: the template only lays strings out and
 * Thymeleaf escapes every one of them. Text from the model (output, reasons, errors) has
 * characters XML 1.0 forbids replaced by U+FFFD, so the page never carries raw control codes. Built from the run's metadata and summary snapshot (fixed
 * size per model) and, for trials, one {@link TrialRow} at a time from the journal stream.
 */
final class HtmlModel {
    static final int MAX_OUTPUT_CHARS = 20_000;

    /** Indented JSON for the detail panes: one writer, made once (making one per row cost as much as writing). */
    private static final ObjectWriter PRETTY = Journal.JSON.writerWithDefaultPrettyPrinter();

    private HtmlModel() {}

    /**
     * The page header and the summary cards. {@code pass} is the whole verdict: every trial passed
     * and, when a baseline was compared, every gate held.
     *
     * @param counts the pass-rate card's line: passed of evaluated, failed, errored, and not evaluated when any
     * @param skippedLine the pass-rate card's second line: how many trials were never sent and why
     *     ({@link SkippedTrials#line()}), empty when none was
     * @param untimed the banner of a run whose trials were answered without timings (empty when every
     *     trial was timed): how many, why, and that checks needing a timing did not apply
     */
    record Header(String suite, String suiteFile, String runId, String endpoint, boolean live, String started,
            String finished, String wall, boolean pass, String verdictWhy, long trials, long passed, long failed,
            long errored, long skipped, long notEvaluated, String counts, String untimed, String passRate,
            String errors, String cost, String unpriced,
            String outputTokens, String inputTokens, String totalTokens, String cacheHitRatio, String cacheRead,
            String ttft, String e2e, String trialsPlanned, int concurrency, String pricingVersion,
            String sondeVersion, String javaVersion, String gitCommit, String seed, String stoppedBy,
            String verdict, String skippedLine) {}

    record LatencyRow(String metric, long count, String p50, String p90, String p95, String p99, String max,
            String meanCi) {}

    /**
     * {@code unpriced}: empty when every trial was priced, else a loud note; {@code platform}: where the
     * model ran ({@code bedrock · us-east-1}), null on the first-party API.
     */
    record ModelCard(String label, String modelId, String platform, long trials, long passed, long failed, long errored,
            long notEvaluated, String passRate, String passWidth, List<LatencyRow> latency, String inputTokens,
            String outputTokens, String cacheWriteTokens, String cacheReadTokens, String cacheHitRatio, String cost,
            boolean allUnpriced, String unpriced, String cacheSavings, List<String> errors) {}

    /** One check of a trial; {@code applicable} false: it neither passed nor failed (its reason says why). */
    record CheckView(String type, boolean pass, boolean applicable, String reason, String score) {}

    record TrialRow(int index, String trialId, String caseId, String model, String modelId, int repeat,
            String status, String statusLabel, String ttft, String e2e, String tokens, String tokensDetail,
            String cost, boolean unpriced, String requestId, String summary, List<CheckView> checks, String error,
            String output, String toolCalls, String stopReason, int attempts, String startedAt) {}

    /**
     * @param verdict {@link dev.sonde.analysis.RunVerdict}: {@code compared} passes the badge, worded so;
     *     {@code partial} fails it, worded so, and the line under it says what the merge lacks
     */
    static Header header(RunResult run, RunSummary.Snapshot summary, Comparison comparison, Provenance provenance,
            SkippedTrials skippedTrials, RunVerdict verdict) {
        RunInfo i = run.info();
        long skipped = skippedTrials.count();
        RunSummary.Stats t = summary.total();
        boolean allPassed = RunVerdict.allPassed(summary, run);
        boolean compared = verdict == RunVerdict.COMPARED && skipped == 0;
        boolean partial = verdict == RunVerdict.PARTIAL;
        boolean runPass = !partial && (allPassed && skipped == 0 || compared);
        boolean gatesPass = comparison == null || comparison.verdict().passed();
        boolean someNotEvaluated = t.notEvaluated() > 0;
        String notEvaluated = someNotEvaluated ? ", " + t.notEvaluated() + " not evaluated (no check applied)" : "";
        String evaluated = someNotEvaluated ? " evaluated" : "";
        String why = (partial ? "partial merge, not the whole suite: " + i.merged().lacking() + " · " : "")
                + (allPassed && skipped == 0 ? "every trial" + evaluated + " passed" + notEvaluated
                : (t.evaluated() - t.passed()) + " of " + t.evaluated() + " trials" + evaluated + " did not pass"
                        + notEvaluated + (skipped > 0 ? ", " + skipped + " not sent" : "")
                        + (compared ? " (the comparison's measurements; no exchange errors)" : ""))
                + (comparison == null || !comparison.compared() ? ""
                        : gatesPass ? " · baseline gates held" : " · baseline gates failed");
        long prompt = t.inputTokens() + t.cacheWriteTokens() + t.cacheReadTokens();
        return new Header(i.suite(), i.suiteFile(), i.runId(), i.endpoint(), i.live(), Fmt.instant(i.startedAt()),
                Fmt.instant(i.finishedAt()), Fmt.duration(i.wallMs()), runPass && gatesPass, why, t.trials(),
                t.passed(), t.failed(), t.errored(), skipped, t.notEvaluated(), counts(t), untimed(t),
                Fmt.pct(t.passRate()), String.join(" · ", errorList(t)),
                costOf(t), unpricedNote(t), Fmt.count(t.outputTokens()), Fmt.count(prompt),
                Fmt.count(prompt + t.outputTokens()), Fmt.pct(t.cacheHitRatio()), Fmt.count(t.cacheReadTokens()),
                p50p95(t.ttftMs()), p50p95(t.e2eMs()), Fmt.count(i.trialsPlanned()), i.concurrency(),
                i.pricingVersion(), i.sondeVersion(), i.javaVersion(), provenance.gitCommit(), provenance.seed(),
                run.stoppedBy() == null ? "" : Text.xmlSafe(run.stoppedBy()),
                partial ? "partial" : !(runPass && gatesPass) ? "fail" : compared ? "compared" : "pass",
                Text.xmlSafe(skippedTrials.line()));
    }

    /** {@code 26 of 26 · 0 failed · 0 errored · 2 not evaluated}. */
    private static String counts(RunSummary.Stats t) {
        return t.passed() + " of " + t.evaluated() + " · " + t.failed() + " failed · " + t.errored() + " errored"
                + (t.notEvaluated() > 0 ? " · " + t.notEvaluated() + " not evaluated" : "");
    }

    /** The untimed banner's text, or empty when every trial was timed. */
    private static String untimed(RunSummary.Stats t) {
        if (t.untimedTrials() == 0) {
            return "";
        }
        return (t.untimedTrials() == t.trials() ? "No trial was timed" : t.untimedTrials() + " of " + t.trials()
                + " trials were not timed") + ": " + Text.xmlSafe(t.untimedReason()) + ". Checks that need a timing"
                + " (latency, ttft, itl-p95) are not applicable to them: neither passed nor failed; a case none of"
                + " whose checks applied is not evaluated. Latency figures cover timed trials only.";
    }

    /** {@code 622 ms / 1,142 ms}, breakable only around the slash (a narrow tile wraps it there, never inside a figure). */
    private static String p50p95(LatencyStats l) {
        return l == null || l.count() == 0 ? Fmt.NONE : unbroken(Fmt.ms(l.p50())) + " / " + unbroken(Fmt.ms(l.p95()));
    }

    /** {@code figure} with no-break spaces, so a line never ends between a number and its unit. */
    private static String unbroken(String figure) {
        return figure.replace(' ', '\u00A0');
    }

    static List<ModelCard> cards(RunResult run, RunSummary.Snapshot summary) {
        Map<String, String> ids = new TreeMap<>();
        if (run.info().models() != null) {
            run.info().models().forEach(m -> ids.put(m.id(), m.model()));
        }
        Map<String, String> platforms = run.info().platforms();
        List<ModelCard> cards = new ArrayList<>();
        summary.models().forEach((label, s) -> cards.add(card(label, ids.getOrDefault(label, ""), platforms.get(label), s)));
        return cards;
    }

    private static ModelCard card(String label, String modelId, String platform, RunSummary.Stats s) {
        List<LatencyRow> latency = List.of(
                latency("TTFT", s.ttftMs()), latency("TTFB", s.ttfbMs()), latency("E2E", s.e2eMs()),
                latency("ITL", s.itlMs()), latency("TPOT", s.tpotMs()));
        return new ModelCard(label, modelId, platform, s.trials(), s.passed(), s.failed(), s.errored(), s.notEvaluated(),
                Fmt.pct(s.passRate()),
                String.format(Locale.ROOT, "%.1f%%", s.passRate() * 100), latency,
                Fmt.count(s.inputTokens()), Fmt.count(s.outputTokens()), Fmt.count(s.cacheWriteTokens()),
                Fmt.count(s.cacheReadTokens()), Fmt.pct(s.cacheHitRatio()), costOf(s),
                s.trials() > 0 && s.unpricedTrials() == s.trials(), unpricedNote(s), Fmt.usd(s.cacheSavingsUsd()),
                errorList(s));
    }

    /** {@code ["overloaded × 2", "rate_limited × 1"]}, by class name. */
    private static List<String> errorList(RunSummary.Stats s) {
        List<String> errors = new ArrayList<>();
        if (s.errorsByClass() != null) {
            new TreeMap<>(s.errorsByClass()).forEach((k, v) -> errors.add(k + " × " + v));
        }
        return errors;
    }

    private static LatencyRow latency(String metric, LatencyStats l) {
        LatencyStats s = l == null ? LatencyStats.EMPTY : l;
        return new LatencyRow(metric, s.count(), Fmt.ms(s.p50()), Fmt.ms(s.p90()), Fmt.ms(s.p95()), Fmt.ms(s.p99()),
                Fmt.ms(s.max()), meanCi(s));
    }

    /** {@code 212 ms ± 4.10 ms}, breakable only before the {@code ±}: a narrow card puts the interval under the mean. */
    private static String meanCi(LatencyStats s) {
        String text = Fmt.meanCi(s.count(), s.mean(), s.ci95());
        int pm = text.indexOf(" ± ");
        return pm < 0 ? unbroken(text) : unbroken(text.substring(0, pm)) + " ±\u00A0" + unbroken(text.substring(pm + 3));
    }

    private static String costOf(RunSummary.Stats s) {
        return s.trials() > 0 && s.unpricedTrials() == s.trials() ? "UNPRICED" : Fmt.usd(s.costUsd());
    }

    private static String unpricedNote(RunSummary.Stats s) {
        if (s.unpricedTrials() == 0) {
            return "";
        }
        return s.unpricedTrials() == s.trials()
                ? "no price known for this model: cost not counted"
                : s.unpricedTrials() + " of " + s.trials() + " trials unpriced: not in this total";
    }

    static TrialRow row(int index, TrialResult t) {
        JsonNode u = t.usage();
        long in = u == null ? 0 : u.path("input_tokens").asLong(0);
        long out = u == null ? 0 : u.path("output_tokens").asLong(0);
        long cw = u == null ? 0 : u.path("cache_creation_input_tokens").asLong(0);
        long cr = u == null ? 0 : u.path("cache_read_input_tokens").asLong(0);
        String statusLabel = switch (t.status()) {
            case "passed" -> "✓ pass";
            case "failed" -> "✗ fail";
            case "skipped" -> "– skipped";
            case "not_evaluated" -> "– not evaluated";
            default -> "⚠ " + (t.error() == null ? "error" : t.error().errorClass());
        };
        List<CheckView> checks = new ArrayList<>();
        if (t.checks() != null) {
            for (CheckResult c : t.checks()) {
                checks.add(new CheckView(c.type(), c.pass(), c.applicable(), Text.xmlSafe(c.reason()),
                        c.score() == null ? "" : String.format(Locale.ROOT, "%.2f", c.score())));
            }
        }
        return new TrialRow(index, t.trialId(), t.caseId(), t.model(), t.modelId(), t.repeat() + 1, t.status(),
                statusLabel, Fmt.ms(t.timings() == null ? null : t.timings().ttftMs()),
                Fmt.ms(t.timings() == null ? null : t.timings().e2eMs()),
                Fmt.count(in + cw + cr) + " in → " + Fmt.count(out) + " out tokens",
                "input " + in + " · cache write " + cw + " · cache read " + cr + " · output " + out,
                Fmt.usd(t.costUsd()), t.costUsd() == null, t.requestId() == null ? "" : t.requestId(),
                Text.xmlSafe(Text.truncate(Text.oneLine(Text.whyNot(t)), 240)), checks,
                t.error() == null ? "" : Text.xmlSafe(t.error().describe()),
                Text.xmlSafe(Text.truncate(t.outputText(), MAX_OUTPUT_CHARS)),
                toolCalls(t.toolCalls()), t.stopReason() == null ? Fmt.NONE : t.stopReason(), t.attempts(),
                Fmt.instant(t.startedAt()));
    }

    private static String toolCalls(List<JsonNode> calls) {
        if (calls == null || calls.isEmpty()) {
            return "";
        }
        try {
            return Text.truncate(PRETTY.writeValueAsString(calls),
                    MAX_OUTPUT_CHARS);
        } catch (JsonProcessingException e) {
            return calls.toString();
        }
    }
}
