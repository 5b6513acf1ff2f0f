package dev.sonde.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.Journal;
import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.suite.LoadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Combines the benchmark runs of one suite and load, made at the same time on several load-generator
 * machines, into one benchmark run folder: as if one generator had offered the sum of their loads
 * (two machines at 10 req/s are one run offered 20 req/s; two at 4 workers, 8 workers). The merged
 * journal holds every request of every machine, so the steps folded from it take their percentiles
 * over all the requests at once (never an average of the machines' percentiles) and their rates
 * add up; {@code sonde report} re-renders the merged folder like any benchmark.
 *
 * <p>Alignment: each machine's step k is taken to have started at the same moment as the first
 * machine's step k — every request keeps its {@code load} record, times from its own machine's
 * step start (its intended-start schedule's t = 0). The clock offset this assumes is measured from
 * the journals: a step's start on a machine's wall clock is the earliest of its requests' journal
 * stamp ({@code started_at}, when each was sent) less its {@code sent_ms}; a machine's offset in a
 * step is its step start minus the first machine's. Each request's stamp is moved by its machine's
 * offset in its step (the probe by the machine's first), so the merged run has one clock, the first
 * machine's, and the offsets are recorded ({@value BenchmarkFolder#MERGE_FILE}, {@link Record}).
 * Requests are renamed {@code <id>@<machine>} (machines numbered from 1 in the order given), since
 * every machine ran the same plan.
 *
 * <p>Streams each journal twice (the step starts, then a merge of the journals by step and
 * completion time), one request per machine in memory. Nothing is written until every folder is
 * found to be a benchmark of the same suite, plan and load.
 */
public final class LoadMerge {
    private LoadMerge() {}

    /**
     * What a merge of load generators did ({@value BenchmarkFolder#MERGE_FILE}; {@code merge} in the
     * merged {@code results.json}).
     *
     * @param assumption the rule the offsets follow, in words
     * @param machines every run merged, in the order given; the first is the reference clock
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Record(String assumption, List<Machine> machines) {
        /** Copies {@code machines} unmodifiable (null becomes empty). */
        public Record {
            machines = machines == null ? List.of() : List.copyOf(machines);
        }
    }

    /**
     * One load generator's run in a merge.
     *
     * @param machine its number, from 1, in the order the runs were given (the suffix of its requests' ids)
     * @param dir its run folder as given
     * @param requests how many requests its journal holds (the probe included)
     * @param clockOffsetMs how far its clock is taken to be ahead of the first machine's: its offset in the
     *     first step both ran (0 for the first machine; null when they ran no step in common)
     * @param stepOffsetsMs per step, its step start minus the first machine's, in ms (null where either
     *     journaled nothing in that step)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Machine(int machine, String dir, String runId, Instant startedAt, long requests, Double clockOffsetMs,
            List<Double> stepOffsetsMs) {
        /** Copies {@code stepOffsetsMs} unmodifiable, keeping its nulls. */
        public Machine {
            stepOffsetsMs = stepOffsetsMs == null ? List.of()
                    : java.util.Collections.unmodifiableList(new ArrayList<>(stepOffsetsMs));
        }

        /** Its offsets over the steps: largest minus smallest, in ms (0 with fewer than two). */
        public double spreadMs() {
            List<Double> known = stepOffsetsMs.stream().filter(Objects::nonNull).toList();
            return known.isEmpty() ? 0 : known.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                    - known.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        }
    }

    /** The largest offset between two machines' step starts taken for clocks and start-up (a day). */
    static final double MAX_OFFSET_MS = 24 * 3.6e6;

    /** The rule in {@link Record#assumption()}. */
    static final String ASSUMPTION = "step k began at the same moment on every machine (each machine's own intended"
            + " t=0); a machine's offset is its step start minus the first machine's, from the journals' stamps";

    /**
     * Writes the merged journal, {@code run.json} and {@value BenchmarkFolder#MERGE_FILE} into
     * {@code outDir} and returns the merged benchmark; its {@code results.json}, report and interval
     * log are the caller's to write (from the returned folder's {@link BenchmarkFolder#load()}).
     *
     * @throws IOException (one line) when {@code runDirs} is empty or names a folder twice, a folder is
     *     not a finished benchmark (an eval run, no run, a merge already), the runs are of different
     *     suites, plans or loads, a step started more than a day apart on two machines, or {@code outDir}
     *     already holds a journal or is one of the runs
     */
    public static BenchmarkFolder merge(List<Path> runDirs, Path outDir) throws IOException {
        if (runDirs.isEmpty()) {
            throw new IOException("nothing to merge: name the load generators' run folders");
        }
        Path journalPath = outDir.resolve("trials.jsonl");
        if (Files.exists(journalPath)) {
            throw new IOException(outDir + " already holds a run (trials.jsonl): merge into a new folder");
        }
        List<BenchmarkFolder> runs = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path dir : runDirs) {
            Path key = dir.toAbsolutePath().normalize();
            if (!seen.add(key)) {
                throw new IOException(dir + " is given twice: name each machine's run once");
            }
            if (key.equals(outDir.toAbsolutePath().normalize())) {
                throw new IOException("--out " + outDir + " is one of the runs merged: merge into a new folder");
            }
            runs.add(benchmark(dir, runs.isEmpty() ? null : runs.get(0)));
        }
        List<TreeMap<Integer, Double>> starts = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (BenchmarkFolder run : runs) {
            TreeMap<Integer, Double> stepStarts = new TreeMap<>();
            long n = 0;
            try (Stream<TrialResult> trials = Journal.read(run.journal())) {
                for (Iterator<TrialResult> it = trials.iterator(); it.hasNext(); n++) {
                    TrialResult t = it.next();
                    if (t.load() != null && t.load().step() >= 0 && t.startedAt() != null) {
                        stepStarts.merge(t.load().step(), epochMillis(t.startedAt()) - t.load().sentMs(), Math::min);
                    }
                }
            } catch (java.io.UncheckedIOException e) { // a damaged line: one line naming it
                throw e.getCause();
            }
            starts.add(stepStarts);
            counts.add(n);
        }
        LoadSpec load = runs.get(0).load();
        List<Machine> machines = new ArrayList<>();
        for (int m = 0; m < runs.size(); m++) {
            List<Double> offsets = new ArrayList<>();
            Double first = null;
            for (int k = 0; k < load.steps(); k++) {
                Double mine = starts.get(m).get(k);
                Double reference = starts.get(0).get(k);
                Double offset = mine == null || reference == null ? null : round(mine - reference);
                if (offset != null && Math.abs(offset) > MAX_OFFSET_MS) {
                    throw new IOException(runDirs.get(m) + ": its step " + k + " started "
                            + String.format(java.util.Locale.ROOT, "%.1f h", Math.abs(offset) / 3.6e6) + " away from "
                            + runDirs.get(0) + "'s (by the journals' stamps): not runs made at the same time");
                }
                offsets.add(offset);
                first = first == null ? offset : first;
            }
            RunInfo info = runs.get(m).info();
            machines.add(new Machine(m + 1, runDirs.get(m).toString(), info.runId(), info.startedAt(), counts.get(m),
                    first, offsets));
        }
        Files.createDirectories(outDir);
        writeJournal(runs, machines, journalPath);
        RunInfo merged = mergedInfo(runs);
        merged.writeTo(outDir);
        Record record = new Record(ASSUMPTION, machines);
        String text = Journal.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(record);
        AtomicFile.write(outDir.resolve(BenchmarkFolder.MERGE_FILE), out -> out.write(text + "\n"));
        return new BenchmarkFolder(outDir, merged, summed(load, runs.size()), record, null, null);
    }

    /**
     * {@code load} as {@code machines} generators running it at once offered it: concurrencies, rates,
     * request caps and in-flight caps times {@code machines}; duration, warm-up, SLO and error bound as they were.
     */
    static LoadSpec summed(LoadSpec load, int machines) {
        return new LoadSpec(load.mode(),
                load.concurrencies() == null ? null : load.concurrencies().stream().map(c -> c * machines).toList(),
                load.ratesPerSecond() == null ? null : load.ratesPerSecond().stream().map(r -> r * machines).toList(),
                load.poisson(), load.duration(), load.warmup(), saturated(load.maxRequests(), machines),
                saturated(load.maxInFlight(), machines), load.slo(), load.seed(), load.maxErrorRate());
    }

    /** The benchmark in {@code dir}, checked to be of the same suite, plan and load as {@code first} (null for the first). */
    private static BenchmarkFolder benchmark(Path dir, BenchmarkFolder first) throws IOException {
        BenchmarkFolder run = BenchmarkFolder.read(dir).orElseThrow(() -> new IOException(
                Files.isRegularFile(dir.resolve("results.json"))
                        ? dir + " is an evaluation run, not a benchmark: load generators merge only with benchmark runs"
                        : dir + " is not a finished run: it needs results.json and trials.jsonl"));
        if (run.merge() != null) {
            throw new IOException(dir + " is already a merge of " + run.merge().machines().size()
                    + " machines: merge the machines' own runs");
        }
        if (run.stopped() != null) {
            throw new IOException(dir + " was stopped (" + run.stopped() + "): its steps are partial; merge runs that"
                    + " ran every step");
        }
        if (first == null) {
            return run;
        }
        RunInfo a = first.info();
        RunInfo b = run.info();
        if (!a.suite().equals(b.suite())) {
            throw new IOException(dir + " is a benchmark of suite '" + b.suite() + "', not '" + a.suite() + "' as "
                    + first.dir() + ": merge runs of one suite");
        }
        if (a.planHash() != null && b.planHash() != null && !a.planHash().equals(b.planHash())) {
            throw new IOException(dir + " ran another plan of suite '" + b.suite() + "' than " + first.dir()
                    + " (the suite changed between the runs): merge runs of one plan");
        }
        // the seed may differ, and should: machines with one seed send one arrival schedule in lockstep
        com.fasterxml.jackson.databind.node.ObjectNode la = Journal.JSON.valueToTree(first.load());
        com.fasterxml.jackson.databind.node.ObjectNode lb = Journal.JSON.valueToTree(run.load());
        la.remove("seed");
        lb.remove("seed");
        String differs = firstDifference(la, lb, "load");
        if (differs != null) {
            throw new IOException(dir + " ran another load than " + first.dir() + " (" + differs
                    + "): merge runs of one load spec");
        }
        return run;
    }

    /** {@code load.concurrencies: [1, 4] there, [1, 2] here}, or null when {@code a} and {@code b} are equal. */
    private static String firstDifference(JsonNode a, JsonNode b, String path) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String d = firstDifference(a.path(name), b.path(name), path + "." + name);
                if (d != null) {
                    return d;
                }
            }
        }
        return path + ": " + shown(b) + " there, " + shown(a) + " in the first";
    }

    private static String shown(JsonNode v) {
        String s = v.isMissingNode() ? "absent" : v.toString();
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /**
     * Writes every machine's requests into one journal, by step and completion time (the probes
     * first), each renamed for its machine and its stamp moved onto the first machine's clock.
     */
    private static void writeJournal(List<BenchmarkFolder> runs, List<Machine> machines, Path journalPath)
            throws IOException {
        record Head(int machine, TrialResult trial, Iterator<TrialResult> rest) {}
        Comparator<Head> order = Comparator.<Head>comparingInt(h -> h.trial().load() == null ? Integer.MIN_VALUE
                        : h.trial().load().step())
                .thenComparingDouble(h -> h.trial().load() == null ? 0 : h.trial().load().doneMs())
                .thenComparingInt(Head::machine);
        PriorityQueue<Head> heads = new PriorityQueue<>(order);
        List<Stream<TrialResult>> streams = new ArrayList<>();
        try (Journal journal = Journal.open(journalPath)) {
            for (int m = 0; m < runs.size(); m++) {
                Stream<TrialResult> s = Journal.read(runs.get(m).journal());
                streams.add(s);
                Iterator<TrialResult> it = s.iterator();
                if (it.hasNext()) {
                    heads.add(new Head(m, it.next(), it));
                }
            }
            while (!heads.isEmpty()) {
                Head h = heads.poll();
                journal.append(aligned(h.trial(), machines.get(h.machine())));
                if (h.rest().hasNext()) {
                    heads.add(new Head(h.machine(), h.rest().next(), h.rest()));
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            streams.forEach(Stream::close);
        }
    }

    /** {@code t} renamed for its machine, its stamp moved by the machine's offset in its step. */
    private static TrialResult aligned(TrialResult t, Machine machine) {
        LoadRecord load = t.load();
        Double offset = load != null && load.step() >= 0 && load.step() < machine.stepOffsetsMs().size()
                ? machine.stepOffsetsMs().get(load.step()) : null;
        if (offset == null) {
            offset = machine.clockOffsetMs() == null ? 0 : machine.clockOffsetMs();
        }
        Instant stamp = t.startedAt() == null ? null : t.startedAt().minusNanos(Math.round(offset * 1e6));
        return t.toBuilder().trialId(t.trialId() + "@" + machine.machine()).startedAt(stamp).build();
    }

    /**
     * The merged run's metadata: the first machine's (its clock is the merged run's), every machine's
     * endpoints and models, live if any was, trials and concurrency summed, the latest finish.
     */
    private static RunInfo mergedInfo(List<BenchmarkFolder> runs) {
        RunInfo first = runs.get(0).info();
        Set<String> endpoints = new LinkedHashSet<>();
        Map<String, RunInfo.ModelRef> models = new LinkedHashMap<>();
        for (BenchmarkFolder run : runs) {
            endpoints.add(run.info().endpoint());
            if (run.info().models() != null) {
                run.info().models().forEach(m -> models.putIfAbsent(m.id(), m));
            }
        }
        Instant finished = runs.stream().map(r -> r.info().finishedAt()).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        return new RunInfo(first.suite(), first.suiteFile(), first.suite() + "-merged-" + runs.size() + "-machines",
                String.join(", ", endpoints), runs.stream().anyMatch(r -> r.info().live()), first.startedAt(), finished,
                first.startedAt() == null || finished == null ? 0
                        : finished.toEpochMilli() - first.startedAt().toEpochMilli(),
                runs.stream().mapToInt(r -> r.info().trialsPlanned()).sum(),
                runs.stream().mapToInt(r -> r.info().concurrency()).sum(), List.copyOf(models.values()),
                first.pricingVersion(), first.sondeVersion(), first.javaVersion(), first.emulatorSeed(),
                first.gitCommit(), first.planHash(), first.prices(), first.timingOrigin(), first.requestHashes(), null,
                null, null);
    }

    private static double epochMillis(Instant at) {
        return at.getEpochSecond() * 1000.0 + at.getNano() / 1e6;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    /** {@code n × machines}, or {@link Integer#MAX_VALUE} past it (a cap that high caps nothing). */
    private static int saturated(int n, int machines) {
        return (int) Math.min(Integer.MAX_VALUE, (long) n * machines);
    }
}
