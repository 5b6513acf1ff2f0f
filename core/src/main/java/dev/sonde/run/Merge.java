package dev.sonde.run;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.CompareRecord;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.SequenceManifest;
import dev.sonde.journal.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Combines the run folders of one suite's shards ({@code --shard k/n}) into one run: one journal
 * (sorted by trial id) and metadata spanning them (earliest start,
 * latest finish, trials planned summed, concurrency summed). The folders must be exactly the n
 * shards of one plan ({@link ShardSet}), unless a partial merge is asked for, which the merged
 * run's {@link RunInfo.Merged} then says. A trial journaled by two shards is an
 * error unless one of the two only skipped it. Nothing is written until the set is found whole (or
 * allowed partial); then each journal is streamed once and the merged journal is written before
 * anything is summarised.
 */
public final class Merge {
    private Merge() {}

    /** As {@link #merge(List, Path, boolean)}, refusing an incomplete set. */
    public static RunResult merge(List<Path> runDirs, Path outDir) throws IOException {
        return merge(runDirs, outDir, false);
    }

    /**
     * Writes the merged journal (and any {@code variants.json}, and the shards' {@code compare.jsonl} records) into {@code outDir} and returns the merged
     * run; its reports are the caller's to write.
     *
     * @param allowPartial {@code --allow-partial}: merge a set with missing shards, or runs that recorded
     *     no shard, and mark the merged run partial ({@link RunInfo.Merged#partial()})
     * @throws IOException (one line) when {@code runDirs} is empty, a folder is not a finished run, the
     *     runs are of different suites or plans, the set is not exactly the n shards of the plan
     *     ({@link ShardSet}), two shards both ran one trial, or {@code outDir} already holds a journal
     */
    public static RunResult merge(List<Path> runDirs, Path outDir, boolean allowPartial) throws IOException {
        if (runDirs.isEmpty()) {
            throw new IOException("nothing to merge: name the shard run folders");
        }
        Path journalPath = outDir.resolve("trials.jsonl");
        if (Files.exists(journalPath)) {
            throw new IOException(outDir + " already holds a run (trials.jsonl): merge into a new folder");
        }
        List<RunInfo> infos = new ArrayList<>();
        List<ShardSet.Member> members = new ArrayList<>();
        for (Path dir : runDirs) {
            RunInfo info = info(dir);
            if (!infos.isEmpty() && !infos.get(0).suite().equals(info.suite())) {
                throw new IOException(dir + " is a run of suite '" + info.suite() + "', not '" + infos.get(0).suite() + "'");
            }
            if (!infos.isEmpty() && info.planHash() != null && infos.get(0).planHash() != null
                    && !info.planHash().equals(infos.get(0).planHash())) {
                throw new IOException(dir + " ran another plan of suite '" + info.suite() + "' than " + runDirs.get(0)
                        + " (the suite or its --repeat changed between the shards): merge shards of one plan");
            }
            infos.add(info);
            members.add(new ShardSet.Member(dir, info, ShardSet.shareOf(dir)));
        }
        RunInfo.Merged set = ShardSet.check(members, allowPartial);
        Files.createDirectories(outDir);
        Map<String, TrialResult> byId = new LinkedHashMap<>();
        for (Path dir : runDirs) {
            try (Stream<TrialResult> trials = Journal.read(dir.resolve("trials.jsonl"))) {
                for (TrialResult t : (Iterable<TrialResult>) trials::iterator) {
                    TrialResult before = byId.get(t.trialId());
                    if (before != null && before.skipped() == null && t.skipped() == null) {
                        throw new IOException("trial " + t.trialId() + " has results in two of the runs (shards overlap)");
                    }
                    if (before == null || before.skipped() != null) {
                        byId.put(t.trialId(), t);
                    }
                }
            }
        }
        for (Path dir : runDirs) { // cache variants: the shards ran one manifest, keep it beside the journal
            if (Files.isRegularFile(dir.resolve(SequenceManifest.FILE))
                    && !Files.exists(outDir.resolve(SequenceManifest.FILE))) {
                Files.copy(dir.resolve(SequenceManifest.FILE), outDir.resolve(SequenceManifest.FILE));
            }
        }
        // compare verdicts: each shard judged the groups it held; the merge keeps a record only where it
        // judged a whole group (SuiteSession.finish judges the rest again, asking no grader)
        List<CompareRecord> compared = new ArrayList<>();
        for (Path dir : runDirs) {
            compared.addAll(CompareRecord.read(dir));
        }
        if (!compared.isEmpty()) {
            CompareRecord.write(outDir, compared);
        }
        int skipped = 0;
        try (Journal journal = Journal.open(journalPath)) {
            for (TrialResult t : byId.values().stream().sorted(Comparator.comparing(TrialResult::trialId)).toList()) {
                journal.append(t);
                skipped += t.skipped() != null ? 1 : 0;
            }
        }
        RunInfo first = infos.get(0);
        Instant started = infos.stream().map(RunInfo::startedAt).filter(Objects::nonNull).min(Instant::compareTo)
                .orElse(first.startedAt());
        Instant finished = infos.stream().map(RunInfo::finishedAt).filter(Objects::nonNull).max(Instant::compareTo)
                .orElse(first.finishedAt());
        Set<String> endpoints = new LinkedHashSet<>();
        Map<String, RunInfo.ModelRef> models = new LinkedHashMap<>();
        for (RunInfo i : infos) {
            endpoints.add(i.endpoint());
            i.models().forEach(m -> models.putIfAbsent(m.id(), m));
        }
        RunInfo merged = new RunInfo(first.suite(), first.suiteFile(), first.suite() + "-merged-" + infos.size() + "-runs",
                String.join(", ", endpoints), infos.stream().anyMatch(RunInfo::live), started, finished,
                started == null || finished == null ? 0 : (finished.toEpochMilli() - started.toEpochMilli()),
                infos.stream().mapToInt(RunInfo::trialsPlanned).sum(), infos.stream().mapToInt(RunInfo::concurrency).sum(),
                List.copyOf(models.values()), first.pricingVersion(), first.sondeVersion(), first.javaVersion(),
                first.emulatorSeed(), first.gitCommit(), first.planHash(), first.prices(), first.timingOrigin(),
                first.requestHashes(), null, set, first.repeat());
        return new RunResult(merged, journalPath, outDir, skipped, null,
                new RunResult.LoadControl(merged.concurrency(), merged.concurrency(), 0));
    }

    private static RunInfo info(Path dir) throws IOException {
        Path results = dir.resolve("results.json");
        if (!Files.isRegularFile(results) || !Files.isRegularFile(dir.resolve("trials.jsonl"))) {
            throw new IOException(dir + " is not a finished run: it needs results.json and trials.jsonl");
        }
        JsonNode run = Journal.JSON.readTree(results.toFile()).path("run");
        RunInfo info;
        try {
            info = Journal.JSON.treeToValue(run, RunInfo.class);
        } catch (JsonMappingException e) {
            // a hand-edited file (a shard 4/3, a word for a number): say where and what, not which Java type
            String field = String.join(".", e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex())).toList());
            throw new IOException(results + ": run." + field + ": "
                    + (e.getCause() instanceof IllegalArgumentException bad ? bad.getMessage()
                            : "not what Sonde writes there"));
        }
        if (info == null || info.suite() == null) {
            throw new IOException(results + " has no run metadata");
        }
        return info;
    }
}
