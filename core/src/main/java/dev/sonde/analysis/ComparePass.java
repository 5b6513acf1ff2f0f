package dev.sonde.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.check.CheckResult;
import dev.sonde.check.CheckSet;
import dev.sonde.check.CompareCheck;
import dev.sonde.check.Scoring;
import dev.sonde.journal.CompareRecord;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Fmt;
import dev.sonde.run.CompareSpend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The compare pass: after every trial of a run is journaled, judges each compare assertion
 * ({@code select-best}, {@code max-score}) once per group — a case's answered trials (not skipped,
 * no error) that share variant and repeat, one per model, in the suite's model order — and appends
 * each group's verdicts to the run folder's {@value CompareRecord#FILE} as soon as it is judged
 * ({@link CompareRecord.Appender}), so a crash or a stop keeps every verdict already paid for. A
 * group of which this run journaled only part (a shard's: every planned trial of a run is
 * journaled, skipped ones too) gets no record here, so its trials keep their placeholders;
 * {@code sonde merge} judges it whole. A group with fewer than two answered trials is undecided
 * ("only 1 of 3 models answered"); an errored trial stays failed and is no candidate. Each member's
 * verdict is its case's score with every compare assertion's result in place of its placeholder
 * ({@link CheckSet#score}). {@code select-best} shows the grader its candidates rotated by the
 * group's repeat (repeat r starts at model r mod n), so no model is always first.
 *
 * <p>Grader calls are made one after another (one per {@code select-best} group), each only while
 * the budget is not spent: the run's spend so far (every journaled trial's cost and grader cost),
 * plus what every compare record ever written cost, against {@code budget.max_usd}; the groups
 * left once it is spent are undecided ("budget spent"). A call already started may end above the
 * cap by its own cost, as a grading in a trial may. A stop asked (Ctrl-C, SIGTERM) is looked at
 * before each grader call: once asked, nothing more is judged and the groups left get no record.
 *
 * <p><b>Resume</b>: a record already in the folder whose group is unchanged (same trial ids, same
 * answers and other check results: {@link CompareRecord#digest()}) and that is decided is kept as
 * it is, with no grader call; changed or new groups, and groups left undecided (a grader failure,
 * filler, the budget), are judged again, their new record appended after the old one.
 *
 * <p><b>Memory</b>: the journal is read once; a group is held (its members' answers and check
 * results, no attempt logs or turns) from its first trial line until every model of its case has an
 * unskipped line, then judged and dropped. Groups still open at the end of the journal — a shard's
 * part of a group, a stopped run's skipped trials — are judged (or left) then. The plan sends a case's
 * trials together (models × repeats), so the pass holds the open groups of the cases in flight —
 * about one case's models × repeats of answers — not the run. Not thread-safe.
 */
public final class ComparePass {
    /**
     * What the pass judged, one console line per compare type and one per case whose trials' verdicts
     * it decided, and why it stopped early (null when it did not).
     */
    public record Result(List<CompareRecord> records, List<String> lines, String stopped) {}

    /**
     * A case holding a compare assertion.
     *
     * @param checks its checks, built as the run built them
     * @param models the model labels it runs on, in the suite's order
     */
    public record Case(CheckSet checks, List<String> models) {
        public Case {
            models = List.copyOf(models);
        }
    }

    private final Map<String, Case> cases;
    private final Double maxUsd;
    private final boolean asks;
    private double spentUsd;
    private CompareSpend spend;

    /**
     * @param cases the cases holding a compare assertion, by case id
     * @param maxUsd {@code budget.max_usd}, or null
     */
    public ComparePass(Map<String, Case> cases, Double maxUsd) {
        this(cases, maxUsd, true);
    }

    private ComparePass(Map<String, Case> cases, Double maxUsd, boolean asks) {
        this.cases = Map.copyOf(cases);
        this.maxUsd = maxUsd;
        this.asks = asks;
    }

    /**
     * The same pass asking no grader ({@code sonde merge}, which calls no API): a {@code select-best}
     * group is taken from a record already in the folder (a shard's) when it judged exactly the
     * group's answered trials, else it is undecided; {@code max-score} is judged as ever.
     */
    public ComparePass withoutGrader() {
        return new ComparePass(cases, maxUsd, false);
    }

    private record Key(String caseId, String variant, int repeat) {}

    /** Judges the groups of the journal in {@code runDir} with no stop to look at. */
    public Result run(Path runDir) throws IOException, InterruptedException {
        return run(runDir, () -> null, null);
    }

    /**
     * Judges the groups of the journal in {@code runDir}, appending each group's records to its
     * {@value CompareRecord#FILE} as it goes.
     *
     * @param stop why the run was asked to stop, or null while it was not: looked at before each grader call
     * @param spend the run's ledger, which each grader call is paid into and, under a cap, counted
     *     against; null to count the journal's and compare records' costs instead (no ledger kept)
     */
    public Result run(Path runDir, Supplier<String> stop, CompareSpend spend) throws IOException, InterruptedException {
        Path journal = runDir.resolve("trials.jsonl");
        this.spend = spend;
        spentUsd = 0;
        Map<String, CompareRecord> before = new LinkedHashMap<>();
        for (CompareRecord r : CompareRecord.readAll(runDir)) {
            spentUsd += r.graderCostUsd() == null ? 0 : r.graderCostUsd(); // paid, whether kept or judged again
            before.put(r.key(), r); // the last one per group and assertion wins
        }
        if (maxUsd != null && spend == null) {
            spentUsd += journalSpend(journal);
        }
        Run pass = new Run(before, stop);
        if (Files.isRegularFile(journal)) {
            try (CompareRecord.Appender out = CompareRecord.Appender.open(runDir);
                    Stream<TrialResult> trials = Journal.read(journal)) {
                pass.out = out;
                for (Iterator<TrialResult> it = trials.iterator(); it.hasNext() && pass.stopped == null; ) {
                    pass.add(it.next());
                }
                for (Iterator<Map.Entry<Key, Map<String, TrialResult>>> it = pass.open.entrySet().iterator();
                        it.hasNext() && pass.stopped == null; ) {
                    Map.Entry<Key, Map<String, TrialResult>> g = it.next();
                    pass.judge(g.getKey(), g.getValue());
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        List<String> lines = new ArrayList<>();
        pass.tallies.forEach((type, t) -> lines.add(t.line(type)));
        pass.changed.forEach((caseId, byModel) -> lines.add("compare verdicts of " + caseId + ": " + String.join(", ", byModel.entrySet()
                .stream().map(e -> e.getKey() + " " + e.getValue().line()).toList())));
        if (pass.stopped != null) {
            lines.add("compare pass stopped (" + pass.stopped + "): the groups not yet judged have no verdict; "
                    + "resume the run (--resume) to judge them");
        }
        return new Result(pass.records, lines, pass.stopped);
    }

    /** Every journaled trial's cost and grader cost (a skipped line costs nothing). */
    private static double journalSpend(Path journal) throws IOException {
        if (!Files.isRegularFile(journal)) {
            return 0;
        }
        double spent = 0;
        try (Stream<TrialResult> trials = Journal.read(journal)) {
            for (Iterator<TrialResult> it = trials.iterator(); it.hasNext(); ) {
                TrialResult t = it.next();
                spent += (t.costUsd() == null ? 0 : t.costUsd()) + (t.graderCostUsd() == null ? 0 : t.graderCostUsd());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return spent;
    }

    /** How a case's trials came out of the pass, per model, for its console line. */
    private static final class Outcomes {
        int passed;
        int failed;
        int undecided;

        String line() {
            List<String> parts = new ArrayList<>();
            if (passed > 0) {
                parts.add(passed + " passed");
            }
            if (failed > 0) {
                parts.add(failed + " FAILED");
            }
            if (undecided > 0) {
                parts.add(undecided + " undecided");
            }
            return String.join(" ", parts);
        }
    }

    /** One pass over one journal. */
    private final class Run {
        final Map<String, CompareRecord> before;
        final Supplier<String> stop;
        final Map<Key, Map<String, TrialResult>> open = new LinkedHashMap<>();
        final List<CompareRecord> records = new ArrayList<>();
        final Map<String, Tally> tallies = new LinkedHashMap<>();
        final Map<String, Map<String, Outcomes>> changed = new LinkedHashMap<>();
        final Set<String> reused = new HashSet<>();
        CompareRecord.Appender out;
        String stopped;

        Run(Map<String, CompareRecord> before, Supplier<String> stop) {
            this.before = before;
            this.stop = stop;
        }

        /** Takes one journal line; judges its group once every model of its case has an unskipped line. */
        void add(TrialResult t) throws IOException, InterruptedException {
            Case theCase = cases.get(t.caseId());
            if (theCase == null) {
                return;
            }
            Key key = new Key(t.caseId(), t.variant(), t.repeat());
            Map<String, TrialResult> group = open.computeIfAbsent(key, k -> new LinkedHashMap<>());
            group.put(t.trialId(), t.toBuilder().attemptLog(List.of()).turns(List.of()).build());
            if (group.size() == theCase.models().size() && group.values().stream().allMatch(m -> m.skipped() == null)) {
                open.remove(key);
                judge(key, group);
            }
        }

        void judge(Key key, Map<String, TrialResult> trials) throws IOException, InterruptedException {
            List<CompareRecord> judged = ComparePass.this.judge(key, trials, this);
            for (CompareRecord r : judged) {
                if (!reused.contains(r.key())) { // a kept record is in the file already: its cost counted once
                    out.append(r);
                }
                records.add(r);
            }
            if (judged.isEmpty()) {
                return;
            }
            for (int m = 0; m < judged.get(0).members().size(); m++) {
                CompareRecord.Member member = judged.get(0).members().get(m);
                Outcomes o = changed.computeIfAbsent(key.caseId(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(member.model(), k -> new Outcomes());
                int at = m;
                if (judged.stream().anyMatch(r -> r.members().get(at).result().undecided())) {
                    o.undecided++;
                } else if (member.pass()) {
                    o.passed++;
                } else {
                    o.failed++;
                }
            }
        }

    }

    private List<CompareRecord> judge(Key key, Map<String, TrialResult> trials, Run run)
            throws IOException, InterruptedException {
        Case theCase = cases.get(key.caseId());
        CheckSet set = theCase.checks();
        Map<String, Tally> tallies = run.tallies;
        if (trials.size() < theCase.models().size()) { // a shard holds part of the group: sonde merge judges it
            for (CheckSet.Compare c : set.compares()) {
                tallies.computeIfAbsent(c.check().type(), k -> new Tally()).split++;
            }
            return List.of();
        }
        List<TrialResult> answered = new ArrayList<>();
        for (String model : theCase.models()) {
            trials.values().stream().filter(t -> t.model().equals(model) && t.skipped() == null && t.error() == null
                    && t.checks() != null && t.checks().size() == set.checks().size()).findFirst().ifPresent(answered::add);
        }
        List<CompareCheck.Candidate> candidates = answered.stream()
                .map(t -> new CompareCheck.Candidate(t.model(), t.outputText(), t.toolCalls(), t.checks())).toList();
        String digest = digest(answered);
        List<CheckSet.Compare> compares = set.compares();
        List<CompareCheck.Judgement> judged = new ArrayList<>();
        List<Boolean> reused = new ArrayList<>();
        for (CheckSet.Compare c : compares) {
            String type = c.check().type();
            CompareRecord old = run.before.get(id(key.caseId(), key.variant(), key.repeat(), c.index()));
            if (old != null && digest.equals(old.digest()) && old.type().equals(type)
                    && old.members().size() == answered.size()
                    && old.members().stream().noneMatch(m -> m.result().undecided())) {
                judged.add(new CompareCheck.Judgement(old.members().stream().map(CompareRecord.Member::result).toList(),
                        winnerIndex(old), old.grader(), old.graderUsage(), old.graderCostUsd()));
                reused.add(true);
                run.reused.add(old.key());
                continue;
            }
            CompareCheck.Judgement j;
            if (answered.size() < 2) {
                j = c.check().undecided(answered.size(), "only " + answered.size() + " of " + theCase.models().size()
                        + " models answered");
            } else if (c.check().grader() != null && !asks) {
                j = c.check().undecided(answered.size(), "its trials were judged apart (in different shards) and "
                        + "sonde merge asks no grader: run select-best suites unsharded");
            } else if (c.check().grader() != null && maxUsd != null && spent() >= maxUsd) {
                j = c.check().undecided(answered.size(), "budget spent (" + Fmt.usd(spent()) + " of "
                        + Fmt.usd(maxUsd) + ") before this group was judged");
            } else if (c.check().grader() != null && (run.stopped = run.stop.get()) != null) {
                return List.of(); // stopped: this group and the rest get no record
            } else {
                j = c.check().grader() != null ? rotated(c.check(), candidates, key.repeat()) : c.check().judge(candidates);
                if (j.graderCostUsd() != null) {
                    spentUsd += j.graderCostUsd();
                    if (spend != null) {
                        spend.paid(answered.get(0).trialId(), j.graderCostUsd());
                    }
                }
            }
            judged.add(j);
            reused.add(false);
        }
        for (int c = 0; c < compares.size(); c++) { // counted once the group is judged whole
            CompareCheck.Judgement j = judged.get(c);
            Tally tally = tallies.computeIfAbsent(compares.get(c).check().type(), k -> new Tally());
            tally.cases.add(key.caseId());
            tally.groups++;
            if (reused.get(c)) {
                tally.kept++;
            } else if (j.graderUsage() != null) {
                tally.calls += j.graderUsage().calls();
                tally.costUsd += j.graderCostUsd() == null ? 0 : j.graderCostUsd();
            }
            if (j.results().stream().anyMatch(CheckResult::undecided)) {
                tally.undecided++;
            }
        }
        // each member's verdict with every compare result in place
        List<Scoring.Score> scores = new ArrayList<>();
        for (int m = 0; m < answered.size(); m++) {
            List<CheckResult> results = new ArrayList<>(answered.get(m).checks());
            for (int c = 0; c < compares.size(); c++) {
                results.set(compares.get(c).index(), judged.get(c).results().get(m));
            }
            scores.add(set.score(results));
        }
        List<CompareRecord> out = new ArrayList<>();
        for (int c = 0; c < compares.size(); c++) {
            CompareCheck.Judgement j = judged.get(c);
            List<CompareRecord.Member> members = new ArrayList<>();
            for (int m = 0; m < answered.size(); m++) {
                TrialResult t = answered.get(m);
                Scoring.Score s = scores.get(m);
                members.add(new CompareRecord.Member(t.trialId(), t.model(), j.results().get(m),
                        s.pass() && !s.notApplicable(), s.score()));
            }
            TrialResult won = j.winner() == null ? null : answered.get(j.winner());
            out.add(new CompareRecord(key.caseId(), key.variant(), key.repeat(), compares.get(c).check().type(),
                    compares.get(c).index(), members, won == null ? null : new CompareRecord.Winner(won.trialId(),
                    won.model()), j.grader(), j.graderUsage(), j.graderCostUsd(), digest));
        }
        return out;
    }

    /** What counts against the cap: the run's ledger when there is one, else the costs this pass read and paid. */
    private double spent() {
        return spend != null && spend.capped() ? spend.countedUsd() : spentUsd;
    }

    /**
     * Judges with the candidates shown rotated by the group's repeat (repeat r starts at candidate
     * r mod n), so no model is always first before the grader; results map back to model order.
     */
    static CompareCheck.Judgement rotated(CompareCheck check, List<CompareCheck.Candidate> candidates, int repeat)
            throws InterruptedException {
        int n = candidates.size();
        int shift = Math.floorMod(repeat, n);
        List<CompareCheck.Candidate> shown = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            shown.add(candidates.get((i + shift) % n));
        }
        CompareCheck.Judgement j = check.judge(shown);
        List<CheckResult> back = new ArrayList<>(n);
        for (int m = 0; m < n; m++) {
            back.add(j.results().get(Math.floorMod(m - shift, n)));
        }
        Integer winner = j.winner() == null ? null : (j.winner() + shift) % n;
        return new CompareCheck.Judgement(back, winner, j.grader(), j.graderUsage(), j.graderCostUsd());
    }

    private static Integer winnerIndex(CompareRecord r) {
        if (r.winner() == null) {
            return null;
        }
        for (int i = 0; i < r.members().size(); i++) {
            if (r.members().get(i).trialId().equals(r.winner().trialId())) {
                return i;
            }
        }
        return null;
    }

    private static String id(String caseId, String variant, int repeat, int index) {
        return caseId + "\u0000" + variant + "\u0000" + repeat + "\u0000" + index;
    }

    /**
     * SHA-256 over each answered trial's own digest ({@link #trialDigest}) in member order, so a
     * reader can check a record against the journal holding only one small digest per member.
     */
    static String digest(List<TrialResult> answered) {
        MessageDigest sha = sha256();
        for (TrialResult t : answered) {
            sha.update(trialDigest(t));
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    /** SHA-256 over one answered trial's id, answer, tool calls and check results as journaled. */
    static byte[] trialDigest(TrialResult t) {
        MessageDigest sha = sha256();
        update(sha, t.trialId());
        update(sha, t.outputText() == null ? "" : t.outputText());
        for (JsonNode call : t.toolCalls() == null ? List.<JsonNode>of() : t.toolCalls()) {
            update(sha, call.toString());
        }
        for (CheckResult r : t.checks()) {
            update(sha, r.type() + "|" + r.pass() + "|" + r.score() + "|" + r.applicable());
        }
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static void update(MessageDigest sha, String s) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    /** What one compare type did over the run, for its console line. */
    private static final class Tally {
        final Set<String> cases = new HashSet<>();
        long groups;
        long calls;
        long kept;
        long undecided;
        long split;
        double costUsd;

        String line(String type) {
            StringBuilder b = new StringBuilder(type).append(": ").append(Fmt.count(cases.size()))
                    .append(cases.size() == 1 ? " case" : " cases").append(" judged in ").append(Fmt.count(groups))
                    .append(groups == 1 ? " group" : " groups");
            if (type.equals("select-best")) {
                b.append(", ").append(Fmt.count(calls)).append(calls == 1 ? " grader call" : " grader calls")
                        .append(" (one per group, ").append(Fmt.usd(costUsd)).append(")");
            }
            if (kept > 0) {
                b.append(", ").append(Fmt.count(kept)).append(" kept from before (unchanged)");
            }
            if (undecided > 0) {
                b.append(", ").append(Fmt.count(undecided)).append(" undecided");
            }
            if (split > 0) {
                b.append(", ").append(Fmt.count(split)).append(split == 1 ? " group" : " groups")
                        .append(" split across shards left to sonde merge");
            }
            return b.toString();
        }
    }
}
