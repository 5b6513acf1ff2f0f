package dev.sonde.history.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.RunDiff;
import dev.sonde.history.RunQuery;
import dev.sonde.journal.Journal;
import dev.sonde.metrics.Fmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /diff?a=RUN&b=RUN}: two stored runs side by side. First the verdict flips (a trial sent in
 * both runs that passed in one only: passed → failed, errored or not evaluated, and back, with the
 * other side's failed checks or error), then other state changes (failed → errored, → skipped),
 * then the trials in one run only (new in the second, gone from it) with their state; then every
 * output or tool call list that changed, word by word ({@link WordDiff}: removed words in the first
 * run's column, added words in the second's; tool calls as indented JSON), "output pruned" where
 * the store no longer has one, then each case × model's TTFT, E2E and cost-per-trial figures. At most {@value #MAX_OUTPUTS} outputs are shown,
 * flips first; the page says how many more changed.
 */
final class DiffPage {
    static final Set<String> PARAMS = Set.of("a", "b");
    static final int MAX_OUTPUTS = 100;

    /** A run's head line. */
    record Head(String runId, String suite, String started, String commit, String verdict, long trials, boolean report) {}

    /**
     * A trial whose state changed: a flip (passed in one run only) or another change (failed →
     * errored, passed → skipped); {@code from}/{@code to} the states as shown, {@code reasons} the
     * failed checks (or the error, or why it was skipped) of the side that did not pass.
     */
    record Flip(String caseId, String model, int repeat, String from, String to, boolean nowPasses,
            List<String> reasons) {}

    /** A trial id in one run only; {@code state} what it came to there. */
    record OneSide(String caseId, String model, int repeat, String trialId, String state) {}

    /**
     * A changed output. A side with no text says why in {@code aNote}/{@code bNote} (pruned, none);
     * {@code a} and {@code b} are the diffed segments otherwise. {@code toolsA}/{@code toolsB} are the
     * tool calls as pretty JSON, diffed, shown when {@code toolsChanged}.
     */
    record Output(String caseId, String model, int repeat, boolean flipped, List<WordDiff.Segment> a,
            List<WordDiff.Segment> b, String aNote, String bNote, boolean toolsChanged,
            List<WordDiff.Segment> toolsA, List<WordDiff.Segment> toolsB) {}

    /** One figure in each run and its change ({@code up} true when it grew); empty strings when absent. */
    record Delta(String a, String b, String change, boolean up, boolean down) {}

    /** One case × model's figures; {@code only} says which run alone had it, empty when both did. */
    record CaseRow(String caseId, String model, String only, Delta ttft, Delta e2e, Delta cost) {}

    private DiffPage() {}

    static Map<String, Object> model(Site site, Params params) throws PageException, HistoryException {
        String a = params.text("a");
        String b = params.text("b");
        if (a == null || b == null) {
            throw PageException.badRequest("give two runs: /diff?a=RUN_ID&b=RUN_ID");
        }
        List<HistoryStore.StoredRun> all = site.runs(RunQuery.ALL);
        for (String id : List.of(a, b)) {
            if (all.stream().noneMatch(r -> r.run().runId().equals(id))) {
                throw PageException.notFound("no run '" + id + "' in the store");
            }
        }
        RunDiff diff = site.diff(a, b);
        List<Flip> flips = new ArrayList<>();
        List<Flip> otherChanges = new ArrayList<>();
        List<OneSide> onlyA = new ArrayList<>();
        List<OneSide> onlyB = new ArrayList<>();
        List<Output> outputs = new ArrayList<>();
        int changed = 0;
        for (RunDiff.TrialPair p : diff.trials()) {
            if (p.a() == null || p.b() == null) {
                RunDiff.Side only = p.a() == null ? p.b() : p.a();
                (p.a() == null ? onlyB : onlyA).add(new OneSide(p.caseId(), p.model(), p.repeat(), p.trialId(),
                        only.state().shown()));
            } else if (p.stateA() != p.stateB()) {
                boolean nowPasses = p.stateB() == RunDiff.State.PASSED;
                Flip f = new Flip(p.caseId(), p.model(), p.repeat(), p.stateA().shown(), p.stateB().shown(), nowPasses,
                        reasons(nowPasses ? p.a() : p.b()));
                (p.flipped() ? flips : otherChanges).add(f);
            }
        }
        for (boolean flippedFirst : new boolean[] {true, false}) {
            for (RunDiff.TrialPair p : diff.trials()) {
                if (p.flipped() != flippedFirst
                        || !(p.outputChanged() || p.toolCallsChanged() || p.flipped() && differs(p))) {
                    continue;
                }
                changed++;
                if (outputs.size() < MAX_OUTPUTS) {
                    outputs.add(output(p));
                }
            }
        }
        List<CaseRow> cases = new ArrayList<>();
        for (RunDiff.CasePair c : diff.cases()) {
            cases.add(caseRow(c));
        }
        Map<String, Object> m = new HashMap<>();
        m.put("a", head(diff.a()));
        m.put("b", head(diff.b()));
        m.put("flips", flips);
        m.put("otherChanges", otherChanges);
        m.put("onlyA", onlyA);
        m.put("onlyB", onlyB);
        m.put("both", diff.trials().size() - onlyA.size() - onlyB.size());
        m.put("outputs", outputs);
        m.put("moreOutputs", changed - outputs.size());
        m.put("cases", cases);
        m.put("pairs", diff.trials().size());
        return m;
    }

    private static Head head(HistoryStore.StoredRun s) {
        HistoryRow.Run r = s.run();
        return new Head(r.runId(), r.suite(), Fmt.instant(r.startedAt()), RunsPage.commit(r.gitCommit(), r.dirty()),
                r.verdict(), s.trials(), RunsPage.hasReport(r.runDir()));
    }

    private static List<String> reasons(RunDiff.Side failed) {
        List<String> out = new ArrayList<>();
        if (failed.trial().skipped() != null) {
            out.add("skipped: " + failed.trial().skipped());
        }
        if (failed.trial().errorClass() != null) {
            out.add("error: " + failed.trial().errorClass());
        }
        for (HistoryRow.Check c : failed.checks()) {
            if (!c.pass()) {
                out.add(c.type() + (c.reason() == null || c.reason().isEmpty() ? "" : ": " + c.reason()));
            }
        }
        return out;
    }

    /** Whether a flipped pair's outputs are worth showing: both loaded and different, or one is missing. */
    private static boolean differs(RunDiff.TrialPair p) {
        String a = text(p.a());
        String b = text(p.b());
        return a == null || b == null || !a.equals(b);
    }

    private static Output output(RunDiff.TrialPair p) {
        String a = text(p.a());
        String b = text(p.b());
        List<WordDiff.Segment> toolsA = List.of();
        List<WordDiff.Segment> toolsB = List.of();
        if (p.toolCallsChanged()) {
            WordDiff.Sides tools = WordDiff.of(pretty(tools(p.a())), pretty(tools(p.b())));
            toolsA = tools.a();
            toolsB = tools.b();
        }
        if (a != null && b != null) {
            WordDiff.Sides sides = WordDiff.of(a, b);
            return new Output(p.caseId(), p.model(), p.repeat(), p.flipped(), sides.a(), sides.b(), "", "",
                    p.toolCallsChanged(), toolsA, toolsB);
        }
        return new Output(p.caseId(), p.model(), p.repeat(), p.flipped(),
                a == null ? List.of() : List.of(new WordDiff.Segment(a, false)),
                b == null ? List.of() : List.of(new WordDiff.Segment(b, false)), note(p.a(), a), note(p.b(), b),
                p.toolCallsChanged(), toolsA, toolsB);
    }

    private static String tools(RunDiff.Side side) {
        return side == null || side.output() == null ? null : side.output().toolCallsJson();
    }

    /** Tool calls as indented JSON, one field a line, so the diff shows which input changed; "(none)" when absent. */
    static String pretty(String json) {
        if (json == null) {
            return "(no tool calls)";
        }
        try {
            return Journal.JSON.readTree(json).toPrettyString();
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static String text(RunDiff.Side side) {
        return side == null || side.output() == null ? null : side.output().outputText();
    }

    private static String note(RunDiff.Side side, String text) {
        if (text != null) {
            return "";
        }
        return side != null && side.outputPruned() ? "output pruned" : "no output";
    }

    private static CaseRow caseRow(RunDiff.CasePair c) {
        String only = c.a() == null ? "only in the second run" : c.b() == null ? "only in the first run" : "";
        return new CaseRow(c.caseId(), c.model(), only, delta(c, HistoryRow.Stat::ttftP95Ms, Fmt::ms),
                delta(c, HistoryRow.Stat::e2eP95Ms, Fmt::ms),
                delta(c, HistoryRow.Stat::costPerTrialUsd, v -> v == null ? "unpriced" : Fmt.usd(v.doubleValue())));
    }

    private static Delta delta(RunDiff.CasePair c, Function<HistoryRow.Stat, Double> figure,
            Function<Double, String> shown) {
        Double a = c.a() == null ? null : figure.apply(c.a());
        Double b = c.b() == null ? null : figure.apply(c.b());
        String sa = c.a() == null ? "" : shown.apply(a);
        String sb = c.b() == null ? "" : shown.apply(b);
        if (a == null || b == null || a == 0) {
            return new Delta(sa, sb, "", false, false);
        }
        double ratio = b / a;
        return new Delta(sa, sb, Fmt.pctChange(ratio), ratio > 1.0005, ratio < 0.9995);
    }
}
