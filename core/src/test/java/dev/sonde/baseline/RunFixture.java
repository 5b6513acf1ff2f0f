package dev.sonde.baseline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.run.RunResult;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds finished runs for baseline tests through the real {@link Journal}: the one place that
 * constructs {@link TrialResult}s, so a field added to the record changes only this file.
 */
final class RunFixture {
    static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    private final List<TrialResult> trials = new ArrayList<>();
    private String endpoint = "emulator";
    private String timingOrigin;
    private String untimed;

    /**
     * From now on, trials are answered without timings by design ({@code why}: e.g. sent through
     * Message Batches): journaled {@code untimed}, with a {@code latency} check that does not apply
     * ahead of their other checks.
     */
    RunFixture untimed(String why) {
        this.untimed = why;
        return this;
    }

    /** An untimed trial (see {@link #untimed}) whose only check is the latency bound: not evaluated. */
    RunFixture latencyOnly(String caseId, String model, double costUsd, String output) {
        ObjectNode usage = Journal.JSON.createObjectNode().put("input_tokens", 100).put("output_tokens", 20);
        trials.add(TrialResult.builder(Trial.idOf(caseId, model, 0), caseId, model, model.equals("haiku")
                ? "claude-haiku-4-5" : "claude-sonnet-4-6", 0).requestId("req_" + caseId).stopReason("end_turn")
                .outputText(output).timings(TimingsMillis.of(Timings.unmeasured(untimed), 20)).usage(usage)
                .costUsd(costUsd).cacheSavingsUsd(0.0).checks(List.of(CheckResult.notApplicable("latency", untimed)))
                .attempts(1).startedAt(START).untimed(untimed).build());
        return this;
    }

    /** One trial; {@code ttftMs} null = errored exchange (no latency). */
    RunFixture trial(String caseId, String model, int repeat, boolean pass, Double ttftMs, Double e2eMs,
            Double costUsd, String output) {
        boolean errored = ttftMs == null;
        ObjectNode usage = Journal.JSON.createObjectNode();
        Timings timings = untimed != null ? Timings.unmeasured(untimed) : Timings.NONE;
        List<CheckResult> checks = new ArrayList<>();
        if (!errored) {
            usage.put("input_tokens", 100).put("output_tokens", 20).put("cache_read_input_tokens", 50)
                    .put("cache_creation_input_tokens", 0);
        }
        if (!errored && untimed == null) {
            long ttft = Math.round(ttftMs * 1e6);
            long e2e = Math.round(e2eMs * 1e6);
            timings = new Timings(ttft / 2, ttft, ttft, e2e, new long[] {5_000_000L, 7_000_000L}, 3);
        } else if (!errored) {
            checks.add(CheckResult.notApplicable("latency", untimed));
        }
        if (!errored) {
            checks.add(CheckResult.pass("stop-reason", "end_turn"));
            checks.add(pass ? CheckResult.pass("contains", "found \"Paris\"")
                    : CheckResult.fail("contains", "expected \"Paris\", got \"" + output + "\""));
        }
        trials.add(TrialResult.builder(Trial.idOf(caseId, model, repeat), caseId, model, model.equals("haiku") ? "claude-haiku-4-5" : "claude-sonnet-4-6", repeat)
                .pass(pass && !errored)
                .error(errored ? new TrialError("overloaded", 529, "overloaded_error", "Overloaded") : null)
                .requestId(errored ? null : "req_" + caseId).stopReason(errored ? null : "end_turn")
                .outputText(output).timings(TimingsMillis.of(timings, 20)).usage(usage)
                .costUsd(errored ? null : costUsd).cacheSavingsUsd(errored ? null : 0.0).checks(checks).attempts(1)
                .startedAt(START).untimed(errored ? null : untimed).build());
        return this;
    }

    RunFixture endpoint(String endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    /** The run's recorded {@code timing_origin} (null, as runs made before it was recorded, unless set). */
    RunFixture timingOrigin(String origin) {
        this.timingOrigin = origin;
        return this;
    }

    RunResult write(Path dir) throws IOException {
        Path journal = dir.resolve("trials.jsonl");
        try (Journal j = Journal.open(journal)) {
            for (TrialResult t : trials) {
                j.append(t);
            }
        }
        RunInfo info = new RunInfo("regression", "suites/regression.yaml", "regression-" + dir.getFileName(), endpoint,
                !endpoint.equals("emulator"), START, START.plusSeconds(10), 10_000, trials.size(), 4,
                List.of(new RunInfo.ModelRef("sonnet", "claude-sonnet-4-6"), new RunInfo.ModelRef("haiku", "claude-haiku-4-5")),
                "2026-11", "0.1.0-SNAPSHOT", "21");
        if (timingOrigin != null) {
            info = new RunInfo(info.suite(), info.suiteFile(), info.runId(), info.endpoint(), info.live(), info.startedAt(),
                    info.finishedAt(), info.wallMs(), info.trialsPlanned(), info.concurrency(), info.models(),
                    info.pricingVersion(), info.sondeVersion(), info.javaVersion(), null, null, null, null, timingOrigin,
                    null, null, null, null);
        }
        // The summary is not read by the baseline room: it streams the journal.
        return new RunResult(info, journal, dir);
    }
}
