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
import java.util.stream.Stream;

/**
 * The compare pass: after every trial of a run is journaled, judges each compare assertion
 * ({@code select-best}, {@code max-score}) once per group — a case's answered trials (not skipped,
 * no error) that share variant and repeat, one per model, in the suite's model order — and writes
 * the verdicts as the run folder's {@value CompareRecord#FILE}, all at once. A group of which this
 * run journaled only part (a shard's: every planned trial of a run is journaled, skipped ones too)
 * gets no record here, so its trials keep their placeholders; {@code sonde merge} judges it whole.
 * A group with fewer than
 * two answered trials is undecided ("only 1 of 3 models answered"); an errored trial stays failed
 * and is no candidate. Each member's verdict is its case's score with every compare assertion's
 * result in place of its placeholder ({@link CheckSet#score}).
 *
 * <p>Grader calls are made one after another (one per {@code select-best} group), each only while
 * the budget is not spent: the run's spend so far (every journaled trial's cost and grader cost), plus what earlier compare records cost, against
 * {@code budget.max_usd}; the groups left once it is spent are undecided ("budget spent"). A call
 * already started may end above the cap by its own cost, as a grading in a trial may.
 *
 * <p><b>Resume</b>: a record already in the folder whose group is unchanged (same trial ids, same
 * answers and other check results: {@link CompareRecord#digest()}) is kept as it is, with no
 * grader call; only changed or new groups are judged. Memory holds the answered trials of the
 * cases with a compare assertion, nothing of the others. Not thread-safe.
 */
public final class ComparePass {
    /** What the pass judged, and one console line per compare type. */
    public record Result(List<CompareRecord> records, List<String> lines) {}

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

    /** Judges the groups of the journal in {@code runDir} and writes its {@value CompareRecord#FILE}. */
    public Result run(Path runDir) throws IOException, InterruptedException {
        Map<Key, Map<String, TrialResult>> groups = groups(runDir.resolve("trials.jsonl"));
        Map<String, CompareRecord> before = new LinkedHashMap<>();
        for (CompareRecord r : CompareRecord.read(runDir)) {
            spentUsd += r.graderCostUsd() == null ? 0 : r.graderCostUsd(); // spent, whether kept or judged again
            before.put(id(r.caseId(), r.variant(), r.repeat(), r.index()) + "\u0000" + r.digest(), r);
        }
        List<CompareRecord> records = new ArrayList<>();
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (Map.Entry<Key, Map<String, TrialResult>> g : groups.entrySet()) {
            records.addAll(judge(g.getKey(), g.getValue(), before, tallies));
        }
        CompareRecord.write(runDir, records);
        List<String> lines = new ArrayList<>();
        tallies.forEach((type, t) -> lines.add(t.line(type)));
        return new Result(records, lines);
    }

    /** The answered and unanswered trials of compare cases, by group, each by trial id (the last line wins). */
    private Map<Key, Map<String, TrialResult>> groups(Path journal) throws IOException {
        Map<Key, Map<String, TrialResult>> groups = new LinkedHashMap<>();
        if (!Files.isRegularFile(journal)) {
            return groups;
        }
        try (Stream<TrialResult> trials = Journal.read(journal)) {
            for (Iterator<TrialResult> it = trials.iterator(); it.hasNext(); ) {
                TrialResult t = it.next();
                spentUsd += (t.costUsd() == null ? 0 : t.costUsd()) + (t.graderCostUsd() == null ? 0 : t.graderCostUsd());
                if (!cases.containsKey(t.caseId())) {
                    continue;
                }
                TrialResult light = t.toBuilder().attemptLog(List.of()).turns(List.of()).build();
                groups.computeIfAbsent(new Key(t.caseId(), t.variant(), t.repeat()), k -> new LinkedHashMap<>())
                        .put(t.trialId(), light);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return groups;
    }

    private List<CompareRecord> judge(Key key, Map<String, TrialResult> trials, Map<String, CompareRecord> before,
            Map<String, Tally> tallies) throws InterruptedException {
        Case theCase = cases.get(key.caseId());
        CheckSet set = theCase.checks();
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
        List<CompareRecord> kept = new ArrayList<>();
        for (CheckSet.Compare c : compares) {
            String type = c.check().type();
            Tally tally = tallies.computeIfAbsent(type, k -> new Tally());
            tally.cases.add(key.caseId());
            tally.groups++;
            CompareRecord old = before.get(id(key.caseId(), key.variant(), key.repeat(), c.index()) + "\u0000" + digest);
            if (old != null && old.type().equals(c.check().type()) && old.members().size() == answered.size()) {
                kept.add(old);
                judged.add(new CompareCheck.Judgement(old.members().stream().map(CompareRecord.Member::result).toList(),
                        winnerIndex(old), old.grader(), old.graderUsage(), old.graderCostUsd()));
                tally.kept++;
                continue;
            }
            kept.add(null);
            CompareCheck.Judgement j;
            if (answered.size() < 2) {
                j = c.check().undecided(answered.size(), "only " + answered.size() + " of " + theCase.models().size()
                        + " models answered");
            } else if (c.check().grader() != null && !asks) {
                j = c.check().undecided(answered.size(), "its trials were judged apart (in different shards) and "
                        + "sonde merge asks no grader: run select-best suites unsharded");
            } else if (c.check().grader() != null && maxUsd != null && spentUsd >= maxUsd) {
                j = c.check().undecided(answered.size(), "budget spent (" + Fmt.usd(spentUsd) + " of "
                        + Fmt.usd(maxUsd) + ") before this group was judged");
            } else {
                j = c.check().judge(candidates);
                if (j.graderUsage() != null) {
                    tally.calls += j.graderUsage().calls();
                    tally.costUsd += j.graderCostUsd() == null ? 0 : j.graderCostUsd();
                    spentUsd += j.graderCostUsd() == null ? 0 : j.graderCostUsd();
                }
            }
            if (j.results().stream().anyMatch(CheckResult::undecided)) {
                tally.undecided++;
            }
            judged.add(j);
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

    /** SHA-256 over each answered trial's id, answer, tool calls and other check results. */
    static String digest(List<TrialResult> answered) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (TrialResult t : answered) {
                update(sha, t.trialId());
                update(sha, t.outputText() == null ? "" : t.outputText());
                for (JsonNode call : t.toolCalls() == null ? List.<JsonNode>of() : t.toolCalls()) {
                    update(sha, call.toString());
                }
                for (CheckResult r : t.checks()) {
                    update(sha, r.type() + "|" + r.pass() + "|" + r.score() + "|" + r.applicable());
                }
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
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
