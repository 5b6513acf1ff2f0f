package dev.sonde.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.Usage;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A small finished run written through the real {@link Journal}: two models ({@code sonnet}
 * priced, {@code local} unpriced), 6 trials — 3 passed, 2 failed on checks, 1 errored — and
 * hostile output text (markup, quotes, {@code |}, newlines, a control character XML forbids).
 */
final class ReportFixture {
    static final String HOSTILE_OUTPUT = "<script>document.title='PWNED';"
            + "document.documentElement.setAttribute('data-pwned','1')</script> Tom & \"Jerry\" 'x' | a|b\n"
            + "second line\u0001 after-control";
    static final int TRIALS = 6;
    static final int PASSED = 3;
    static final int FAILED = 2;
    static final int ERRORED = 1;
    static final Instant START = Instant.parse("2026-11-03T10:15:30.250Z");

    private ReportFixture() {}

    /** Writes the journal under {@code dir} and returns the run, with {@code outDir = dir/out}. */
    static RunResult run(Path dir, boolean live) throws IOException {
        Path journal = dir.resolve("out").resolve("trials.jsonl");
        try (Journal j = Journal.open(journal)) {
            trial(j, "greet", "sonnet", 0, null, "Hello there!", 210, 900, 0.000123,
                    List.of(CheckResult.pass("contains", "found \"Hello\"")));
            trial(j, "greet", "local", 0, null, "Hello from local", 35, 120, null,
                    List.of(CheckResult.pass("contains", "found \"Hello\"")));
            trial(j, "summarize <doc>", "sonnet", 0, null, HOSTILE_OUTPUT, 320, 2400, 0.0042,
                    List.of(CheckResult.pass("max_tokens", "used 52 of 200"),
                            CheckResult.fail("contains", "expected \"summary\" | not found <b>bold</b>"),
                            new CheckResult("llm_rubric", false, "score 0.40 below 0.7\nsecond reason line", 0.4)));
            trial(j, "summarize <doc>", "local", 0,
                    new TrialError("rate_limited", 429, "rate_limit_error", "Too many requests & slow down"),
                    null, null, null, null, List.of());
            trial(j, "greet", "sonnet", 1, null, "Hi!", 190, 850, 0.000119,
                    List.of(CheckResult.pass("contains", "found \"Hi\"")));
            trial(j, "summarize <doc>", "sonnet", 1, null, "Nope", 300, 2100, 0.0039,
                    List.of(CheckResult.fail("contains", "expected \"summary\"")));
        }
        return result(journal, live);
    }

    /** A run of two trials that both passed, on the priced model only. */
    static RunResult allPassing(Path dir) throws IOException {
        Path journal = dir.resolve("green").resolve("trials.jsonl");
        try (Journal j = Journal.open(journal)) {
            for (int repeat = 0; repeat < 2; repeat++) {
                trial(j, "greet", "sonnet", repeat, null, "Hello!", 200, 800, 0.0001,
                        List.of(CheckResult.pass("contains", "found \"Hello\"")));
            }
        }
        return result(journal, false);
    }

    /** A run whose journal is empty: no trial finished. */
    static RunResult empty(Path dir) throws IOException {
        Path journal = dir.resolve("empty").resolve("trials.jsonl");
        Journal.open(journal).close();
        return result(journal, false);
    }

    private static RunResult result(Path journal, boolean live) {
        List<RunInfo.ModelRef> models = List.of(new RunInfo.ModelRef("sonnet", "claude-sonnet-4-5"),
                new RunInfo.ModelRef("local", "local-llm-7b"));
        RunInfo info = new RunInfo("regression", "suites/regression.yaml", "run-20261103-101530",
                live ? "https://api.anthropic.com" : "emulator", live, START, START.plusMillis(12_345), 12_345.0,
                TRIALS, 4, models, "2026-11", "0.1.0-SNAPSHOT", "21.0.5");
        return new RunResult(info, journal, journal.getParent());
    }

    private static void trial(Journal journal, String caseId, String model, int repeat,
            TrialError error, String output, Integer ttftMs, Integer e2eMs, Double costUsd, List<CheckResult> checks)
            throws IOException {
        ObjectNode usageJson = Journal.JSON.createObjectNode();
        Timings timings = Timings.NONE;
        if (error == null) {
            usageJson.put("input_tokens", 120).put("output_tokens", 40).put("cache_read_input_tokens", 800)
                    .put("cache_creation_input_tokens", 0);
            long ttft = ttftMs * 1_000_000L;
            long e2e = e2eMs * 1_000_000L;
            timings = new Timings(ttft / 2, ttft, ttft, e2e, new long[] {20_000_000L, 25_000_000L}, 3);
        }
        Usage usage = Usage.fromJson(usageJson);
        boolean pass = error == null && checks.stream().allMatch(CheckResult::pass);
        boolean unpriced = model.equals("local");
        String modelId = model.equals("local") ? "local-llm-7b" : "claude-sonnet-4-5";
        String id = caseId.replaceAll("\\W", "") + "-" + model + "-" + repeat;
        journal.append(TrialResult.builder(id, caseId, model, modelId, repeat).pass(pass).error(error)
                .requestId(error == null ? "req_" + id : null).stopReason(error == null ? "end_turn" : null)
                .outputText(output).timings(TimingsMillis.of(timings, usage.outputTokens())).usage(usageJson)
                .costUsd(unpriced ? null : costUsd).unpriced(unpriced).cacheSavingsUsd(unpriced || costUsd == null ? null : costUsd)
                .checks(checks).attempts(error == null ? 1 : 3).startedAt(START.plusSeconds(1)).build());
    }
}
