package dev.sonde.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.Journal;
import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.suite.LoadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Benchmark runs with fixed data, as a load generator would have journaled them: an open loop at 10
 * then 20 requests per second, 3 s steps after a 1 s warm-up, a step starting every 3.5 s on the
 * machine's clock. Every value is a function of the machine, step and request number, so two
 * machines' runs differ, and every 13th request (shifted by machine) fails with a 500.
 */
public final class LoadRuns {
    /** When the reference machine's run started, on its clock. */
    public static final Instant START = Instant.parse("2026-12-05T08:00:00Z");
    /** Where step k starts on a machine's clock: {@code k ×} this after its run's start (plus its offset). */
    public static final double STEP_EVERY_MS = 3_500;

    private LoadRuns() {}

    /** The load every fixed run ran. */
    public static LoadSpec load() {
        return load(1);
    }

    /** The load {@code machines} generators offer together: rates and caps times {@code machines}. */
    public static LoadSpec load(int machines) {
        return new LoadSpec("open", null, List.of(10.0 * machines, 20.0 * machines), false, Duration.ofSeconds(3),
                Duration.ofSeconds(1), 1_000 * machines, 100 * machines, new LoadSpec.Slo(150.0, null, null), 1, 0.2);
    }

    /**
     * Machine {@code machine}'s requests (the probe first), in completion order within each step, its
     * clock {@code clockOffsetMs} ahead of the reference's, and each step {@code stepDriftMs} later again
     * than the one before.
     */
    public static List<TrialResult> requests(int machine, double clockOffsetMs, double stepDriftMs) {
        LoadSpec load = load();
        List<TrialResult> out = new ArrayList<>();
        out.add(request(machine, -1, 0, 0, 0.2, 80, null, clockOffsetMs - 500));
        for (int step = 0; step < load.steps(); step++) {
            double rate = load.ratesPerSecond().get(step);
            double stepStartMs = clockOffsetMs + step * (STEP_EVERY_MS + stepDriftMs);
            List<TrialResult> stepRequests = new ArrayList<>();
            for (int n = 0; n < rate * 3; n++) {
                double intended = n * 1000 / rate;
                double ttft = 40 + (n * 37 + machine * 53 + step * 11) % 160;
                TrialError error = (n + machine) % 13 == 0 ? new TrialError("server_error", 500, "api_error", "boom") : null;
                stepRequests.add(request(machine, step, n, intended, 0.3 + 0.1 * machine, ttft, error, stepStartMs));
            }
            stepRequests.sort(Comparator.comparingDouble(t -> t.load().doneMs()));
            out.addAll(stepRequests);
        }
        return out;
    }

    private static TrialResult request(int machine, int step, int n, double intendedMs, double delayMs, double ttftMs,
            TrialError error, double stepStartMs) {
        double e2e = error != null ? 3 : ttftMs + 60 + (n % 7) * 5;
        double sent = intendedMs + delayMs;
        double done = sent + e2e;
        LoadSpec load = load();
        double warmupMs = load.warmup().toMillis();
        double endMs = load.duration().toMillis();
        TrialResult.Builder b = TrialResult.builder("a/h#" + step + "." + n, "a", "h", "claude-haiku-4-5", 0)
                .pass(error == null).error(error).attempts(1)
                .startedAt(START.plusNanos(Math.round((stepStartMs + sent) * 1e6)))
                .load(new LoadRecord(step, intendedMs, sent, done, intendedMs >= warmupMs,
                        step >= 0 && done >= warmupMs && done <= endMs));
        if (error == null) {
            b.timings(new TimingsMillis(ttftMs - 10, ttftMs, ttftMs, e2e, new double[] {5 + machine, 6, 7 + n % 3}, 4,
                    (e2e - ttftMs) / 3, 4000 / e2e)).usage(Jackson.object().put("input_tokens", 10).put("output_tokens", 4));
        }
        return b.build();
    }

    /**
     * A finished benchmark folder of {@code trials}: {@code run.json}, {@code trials.jsonl} and a
     * {@code results.json} of {@code kind: benchmark} naming {@code load} (what a run leaves behind).
     */
    public static Path write(Path dir, String suite, LoadSpec load, Instant start, List<TrialResult> trials)
            throws IOException {
        Files.createDirectories(dir);
        RunInfo info = new RunInfo(suite, "suites/" + suite + ".yaml", suite + "-" + dir.getFileName(), "emulator", false,
                start, null, 0, 0, 0, List.of(new RunInfo.ModelRef("h", "claude-haiku-4-5")), null, "test", "21", 7L, null)
                .withPlan("sha256:fixed", Map.of(), Map.of());
        info.writeTo(dir);
        try (Journal journal = Journal.open(dir.resolve("trials.jsonl"))) {
            for (TrialResult t : trials) {
                journal.append(t);
            }
        }
        ObjectNode results = Journal.JSON.createObjectNode().put("format_version", 1).put("kind", "benchmark")
                .put("suite", suite);
        results.set("load", Journal.JSON.valueToTree(load));
        Files.writeString(dir.resolve("results.json"), results.toPrettyString());
        return dir;
    }

    /** A small JSON helper, so fixtures need no mapper of their own. */
    static final class Jackson {
        static ObjectNode object() {
            return Journal.JSON.createObjectNode();
        }
    }
}
