package dev.sonde.analysis;

import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trials of a run that did not pass, in memory bounded by cases, never by trials: how many
 * did not pass, the first {@value #MAX_SHOWN} of them whole (for the summary's list), and for each
 * case × model the reason its first non-passing trial gave (for a baseline's new failures). Trials
 * that were not evaluated (none of their checks applied: {@link TrialResult#notEvaluated()}) did
 * not fail: they are counted and kept apart, the first {@value #MAX_SHOWN} of them whole. Not
 * thread-safe; filled by one pass over the journal.
 */
public final class Failures implements TrialFold {
    /** Trials kept whole, in journal order. */
    public static final int MAX_SHOWN = 20;
    private static final int MAX_REASON = 300;

    private final List<TrialResult> shown = new ArrayList<>();
    private final List<TrialResult> notEvaluatedShown = new ArrayList<>();
    private final Map<String, String> firstReason = new LinkedHashMap<>();
    private long notPassed;
    private long notEvaluated;

    Failures() {}

    /**
     * Counts {@code t} when it did not pass: kept whole while fewer than {@value #MAX_SHOWN} are, and its reason
     * kept when it is the first of its case × model.
     */
    @Override
    public void add(TrialResult t) {
        if (t.pass()) {
            return;
        }
        if (t.notEvaluated()) {
            notEvaluated++;
            if (notEvaluatedShown.size() < MAX_SHOWN) {
                notEvaluatedShown.add(t);
            }
            return;
        }
        notPassed++;
        if (shown.size() < MAX_SHOWN) {
            shown.add(t);
        }
        firstReason.putIfAbsent(key(t.caseId(), t.model()), reason(t));
    }

    /** Trials that did not pass (failed, errored or skipped); those not evaluated are not among them. */
    public long notPassed() {
        return notPassed;
    }

    /** Trials answered but not evaluated: none of their checks applied. */
    public long notEvaluated() {
        return notEvaluated;
    }

    /** The first {@value #MAX_SHOWN} trials not evaluated, in journal order. */
    public List<TrialResult> notEvaluatedShown() {
        return Collections.unmodifiableList(notEvaluatedShown);
    }

    /** The first {@value #MAX_SHOWN} trials that did not pass, in journal order. */
    public List<TrialResult> shown() {
        return Collections.unmodifiableList(shown);
    }

    /** Why the first non-passing trial of a case on a model label did not pass; empty when all passed. */
    public String firstReason(String caseId, String model) {
        return firstReason.getOrDefault(key(caseId, model), "");
    }

    private static String key(String caseId, String model) {
        return caseId + "\u0000" + model;
    }

    /**
     * Why {@code t} did not pass, as the reports say it: why it was skipped (never sent), its error,
     * or each failed check's type and reason joined with {@code ; }, or — not evaluated — which checks
     * did not apply and why; empty for a passing trial. Not cut, line breaks kept.
     */
    public static String why(TrialResult t) {
        if (t.pass()) {
            return "";
        }
        if (t.skipped() != null) {
            return "skipped (not sent): " + t.skipped();
        }
        if (t.error() != null) {
            return t.error().describe();
        }
        if (t.notEvaluated()) {
            List<String> types = t.checks().stream().map(CheckResult::type).distinct().toList();
            return "not evaluated, no check applies (" + String.join(", ", types) + "): "
                    + t.checks().getFirst().whyNotApplicable();
        }
        StringBuilder sb = new StringBuilder();
        if (t.checks() != null) {
            for (CheckResult c : t.checks()) {
                if (!c.pass() && c.applicable()) {
                    sb.append(sb.isEmpty() ? "" : "; ").append(c.type()).append(": ").append(c.reason());
                }
            }
        }
        return sb.isEmpty() ? "failed (no failing check recorded)" : sb.toString();
    }

    /** {@link #why} on one line, at most 300 characters. */
    static String reason(TrialResult t) {
        String s = why(t).replaceAll("\\R+", " ");
        return s.length() > MAX_REASON ? s.substring(0, MAX_REASON - 1) + "…" : s;
    }
}
