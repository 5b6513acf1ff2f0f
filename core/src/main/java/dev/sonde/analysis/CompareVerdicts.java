package dev.sonde.analysis;

import dev.sonde.check.CheckResult;
import dev.sonde.check.GraderUsage;
import dev.sonde.journal.CompareRecord;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The verdicts of a run's {@value CompareRecord#FILE}, applied to its trials as they are read: a
 * member trial's placeholder result at each record's assertion index is replaced by the record's,
 * and its {@code pass} by the member's, so every reader of the pass (summary, pass rates, JUnit
 * XML, reports, baseline gates, the model comparison) sees the final verdicts without loading the
 * suite. A group's one grader call is added to its first member's grader usage and cost, so the
 * run's grader totals count it once. The journal's lines are never rewritten. Memory: one entry per
 * member trial. Immutable once read.
 */
final class CompareVerdicts {
    private record Change(int index, CheckResult result) {}

    private record Applied(List<Change> changes, boolean pass, GraderUsage graderUsage, Double graderCostUsd) {}

    private final Map<String, Applied> byTrial;

    private CompareVerdicts(Map<String, Applied> byTrial) {
        this.byTrial = byTrial;
    }

    /** The verdicts of the run folder {@code runDir}; none when it has no compare file. */
    static CompareVerdicts read(Path runDir) throws IOException {
        return of(runDir == null ? List.of() : current(runDir));
    }

    /**
     * The records in force in {@code runDir} ({@link CompareRecord#read}) that still match its
     * journal: a record is dropped when a member's line now says something else (its digest no
     * longer matches) or another trial of its group has since been answered — a resumed run that
     * stopped before its compare pass re-sent them — so an old verdict is never applied to changed
     * answers (those trials show their placeholders until a pass judges them). One read of the journal
     * when there are records; memory: one digest per member trial.
     */
    static List<CompareRecord> current(Path runDir) throws IOException {
        List<CompareRecord> records = CompareRecord.read(runDir);
        Path journal = runDir.resolve("trials.jsonl");
        if (records.isEmpty() || !Files.isRegularFile(journal)) {
            return records;
        }
        Map<String, String> groupOf = new HashMap<>();
        for (CompareRecord r : records) {
            r.members().forEach(m -> groupOf.put(m.trialId(), group(r.caseId(), r.variant(), r.repeat())));
        }
        java.util.Set<String> groups = new java.util.HashSet<>(groupOf.values());
        java.util.Set<String> stale = new java.util.HashSet<>();
        Map<String, byte[]> now = new HashMap<>();
        try (Stream<TrialResult> trials = Journal.read(journal)) {
            for (Iterator<TrialResult> it = trials.iterator(); it.hasNext(); ) {
                TrialResult t = it.next();
                String group = group(t.caseId(), t.variant(), t.repeat());
                if (!groups.contains(group)) {
                    continue;
                }
                boolean answered = t.skipped() == null && t.error() == null && t.checks() != null;
                if (groupOf.containsKey(t.trialId())) {
                    now.put(t.trialId(), answered ? ComparePass.trialDigest(t) : null); // the last line wins
                } else if (answered) {
                    stale.add(group);
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        List<CompareRecord> out = new ArrayList<>();
        for (CompareRecord r : records) {
            if (!stale.contains(group(r.caseId(), r.variant(), r.repeat())) && matches(r, now)) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean matches(CompareRecord r, Map<String, byte[]> now) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        for (CompareRecord.Member m : r.members()) {
            byte[] d = now.get(m.trialId());
            if (d == null) {
                return false;
            }
            sha.update(d);
        }
        return ("sha256:" + java.util.HexFormat.of().formatHex(sha.digest())).equals(r.digest());
    }

    private static String group(String caseId, String variant, int repeat) {
        return caseId + "\u0000" + variant + "\u0000" + repeat;
    }

    static CompareVerdicts of(List<CompareRecord> records) {
        Map<String, Applied> byTrial = new HashMap<>();
        for (CompareRecord r : records) {
            for (int m = 0; m < r.members().size(); m++) {
                CompareRecord.Member member = r.members().get(m);
                Applied a = byTrial.get(member.trialId());
                List<Change> changes = new ArrayList<>(a == null ? List.of() : a.changes());
                changes.add(new Change(r.index(), member.result()));
                GraderUsage usage = a == null ? null : a.graderUsage();
                Double cost = a == null ? null : a.graderCostUsd();
                if (m == 0 && r.graderUsage() != null) {
                    cost = GraderUsage.plusCost(usage, cost, r.graderUsage(), r.graderCostUsd());
                    usage = GraderUsage.plus(usage, r.graderUsage());
                }
                byTrial.put(member.trialId(), new Applied(changes, member.pass(), usage, cost));
            }
        }
        return new CompareVerdicts(byTrial);
    }

    boolean isEmpty() {
        return byTrial.isEmpty();
    }

    /** {@code t} with its compare verdicts applied; {@code t} itself when it has none (or was not answered). */
    TrialResult apply(TrialResult t) {
        Applied a = byTrial.get(t.trialId());
        if (a == null || t.skipped() != null || t.error() != null || t.checks() == null) {
            return t;
        }
        List<CheckResult> checks = new ArrayList<>(t.checks());
        for (Change c : a.changes()) {
            if (c.index() >= checks.size()) {
                return t; // not the trial the record judged
            }
            checks.set(c.index(), c.result());
        }
        TrialResult.Builder b = t.toBuilder().checks(checks).pass(a.pass());
        if (a.graderUsage() != null) {
            b.graderCostUsd(GraderUsage.plusCost(t.graderUsage(), t.graderCostUsd(), a.graderUsage(), a.graderCostUsd()))
                    .graderUsage(GraderUsage.plus(t.graderUsage(), a.graderUsage()));
        }
        return b.build();
    }
}
