package dev.sonde.history.view;

import dev.sonde.history.Added;
import dev.sonde.history.Exported;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.Pruned;
import dev.sonde.history.RunDiff;
import dev.sonde.history.RunQuery;
import dev.sonde.history.Trend;
import dev.sonde.history.ViewOptions;
import dev.sonde.history.Viewer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A store answering the viewer's reads from fixed runs, so the server's checks and escaping are
 * tested without a database: runs filter by suite and verdict, a trend is the suite's runs, a diff
 * pairs the runs' one trial each (a null output: pruned from the store). Writes are not part of what the viewer calls and fail the test.
 */
final class FixedStore implements HistoryStore {
    private final List<StoredRun> runs;
    private final String outputA;
    private final String outputB;
    /** When set, every read fails as a store another program holds past the wait. */
    volatile boolean held;
    /** Shard runs a trend without shards says it left out; a trend with shards asked says none. */
    volatile int shards;
    /** Pairs a diff lists after its one trial. */
    volatile List<RunDiff.TrialPair> morePairs = List.of();

    FixedStore(List<StoredRun> runs, String outputA, String outputB) {
        this.runs = List.copyOf(runs);
        this.outputA = outputA;
        this.outputB = outputB;
    }

    static StoredRun run(String id, String suite, String verdict, String commit, int minute, Path runDir) {
        return new StoredRun(new HistoryRow.Run(id, suite, "suite.yaml", Instant.parse("2026-12-06T00:00:00Z")
                .plusSeconds(60L * minute), null, 1000, "emulator", false, commit, false, "0.1.0", "21", "p1", "h",
                "wire", null, null, null, null, 1, verdict, null, null, runDir == null ? null : runDir.toString(), null), 1);
    }

    @Override
    public List<StoredRun> runs(Path store, RunQuery query, Duration wait) throws HistoryException {
        if (held) {
            throw new HistoryException("history: " + store + " was being written by another process for 0 s", true);
        }
        return runs.stream().filter(r -> query.suite() == null || query.suite().equals(r.run().suite()))
                .filter(r -> query.verdict() == null || query.verdict().equals(r.run().verdict())).toList();
    }

    @Override
    public Trend trend(Path store, String suite, String model, int last, boolean withShards, Duration wait)
            throws HistoryException {
        List<Trend.Point> points = new ArrayList<>();
        for (StoredRun s : runs(store, RunQuery.suite(suite, 0), wait)) {
            HistoryRow.Run r = s.run();
            points.add(new Trend.Point(r.runId(), r.startedAt(), r.gitCommit(), r.dirty(), r.verdict(), null, null, 1,
                    r.verdict().equals("pass") ? 1 : 0, r.verdict().equals("pass") ? 0 : 1, 0,
                    r.verdict().equals("pass") ? 1.0 : 0.0, 120.0, 480.0, 0.0012, 0.5, 0.0012, r.runDir(), List.of(), null, null, null, null));
        }
        return new Trend(suite, model, points, points.size(), points.isEmpty() ? null : points.get(0).startedAt(),
                withShards ? 0 : shards);
    }

    @Override
    public RunDiff diff(Path store, String runA, String runB, Duration wait) throws HistoryException {
        StoredRun a = find(runA);
        StoredRun b = find(runB);
        RunDiff.Side sa = side(a, outputA);
        RunDiff.Side sb = side(b, outputB);
        List<RunDiff.TrialPair> pairs = new ArrayList<>(List.of(new RunDiff.TrialPair("t1", "case-1", "m", 0, sa, sb,
                false)));
        pairs.addAll(morePairs);
        return new RunDiff(a, b, pairs, List.of());
    }

    private StoredRun find(String id) throws HistoryException {
        return runs.stream().filter(r -> r.run().runId().equals(id)).findFirst()
                .orElseThrow(() -> new HistoryException("history: no run " + id));
    }

    /** A side of trial {@code id} as given: passed unless {@code error} or {@code skipped}, with its tool calls. */
    static RunDiff.Side side(String id, boolean pass, String error, String skipped, String text, String toolCalls) {
        HistoryRow.Trial t = new HistoryRow.Trial(id, "case-" + id, "m", "claude-x", 0, pass, error, skipped, false,
                null, false, null, 100.0, 50.0, 400.0, 0.001, false, 10L, 20L, 0L, 0L, 1, Instant.EPOCH, "end_turn",
                text == null ? null : Integer.toHexString(text.hashCode()));
        return new RunDiff.Side(t, List.of(), new HistoryRow.Output(id, text, toolCalls), false);
    }

    private static RunDiff.Side side(StoredRun run, String output) {
        boolean pass = run.run().verdict().equals("pass");
        HistoryRow.Trial t = new HistoryRow.Trial("t1", "case-1", "m", "claude-x", 0, pass, null, null, false, null,
                false, null, 100.0, 50.0, 400.0, 0.001, false, 10L, 20L, 0L, 0L, 1, run.run().startedAt(), "end_turn",
                Integer.toHexString(String.valueOf(output).hashCode()));
        List<HistoryRow.Check> checks = pass ? List.of() : List.of(new HistoryRow.Check("t1", 0, "contains", false,
                "expected \"<b>bold</b>\""));
        return new RunDiff.Side(t, checks, output == null ? null : new HistoryRow.Output("t1", output, null),
                output == null);
    }

    @Override
    public Viewer view(Path store, ViewOptions options) throws HistoryException {
        return ViewServer.start(this, store, options);
    }

    @Override
    public List<Added> add(Path store, List<Path> spools, Duration wait, java.util.function.Consumer<Added> each) {
        throw new AssertionError("the viewer never writes");
    }

    @Override
    public List<Added> importInbox(Path store, Duration wait) {
        throw new AssertionError("the viewer never writes");
    }

    @Override
    public int queued(Path store) {
        throw new AssertionError("the viewer never asks");
    }

    @Override
    public Exported exportParquet(List<Path> spools, Path out) {
        throw new AssertionError("the viewer never exports");
    }

    @Override
    public Exported exportParquet(Path store, RunQuery query, Path out, Duration wait) {
        throw new AssertionError("the viewer never exports");
    }

    @Override
    public Pruned prune(Path store, int keep, Duration wait) {
        throw new AssertionError("the viewer never prunes");
    }
}
