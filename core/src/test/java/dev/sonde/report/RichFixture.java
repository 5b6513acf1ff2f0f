package dev.sonde.report;

import dev.sonde.metrics.Fmt;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.Comparison;
import dev.sonde.baseline.Gates;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.AttemptRecord;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Cost;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.Usage;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A realistic two-model run written through the real {@link Journal} and priced with the real
 * pricing table: {@value #CASES} cases × 2 models × {@value #REPEATS} repeats, streamed timings
 * with inter-token gaps, 5 m and 1 h cache writes followed by cache reads, and exactly
 * {@value #NOT_PASSING_CASES} cases that do not pass everywhere: {@code xss-output} (the output
 * is {@link #XSS}, failing {@code contains} on haiku), {@code invoice-json} (is-json fails on one
 * haiku repeat) and {@code slow-summary} (haiku times out once). Seeded: the same every time.
 */
final class RichFixture {
    static final String XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    static final int CASES = 8;
    static final int REPEATS = 3;
    static final int NOT_PASSING_CASES = 3;
    static final List<String> CASE_IDS = List.of("sentiment-positive", "ticket-priority", "invoice-json",
            "xss-output", "policy-qa", "long-context", "slow-summary", "translate-fr");
    static final Instant START = Instant.parse("2026-11-03T10:15:30Z");

    private RichFixture() {}

    /** The run in {@code dir/run}; {@code slowdown} scales haiku's latencies (1 = the normal run). */
    static RunResult run(Path dir, String name, double slowdown, boolean withFailures) throws IOException {
        Path journal = dir.resolve(name).resolve("trials.jsonl");
        Random rnd = new Random(7);
        int n = 0;
        try (Journal j = Journal.open(journal)) {
            for (String caseId : CASE_IDS) {
                for (int repeat = 0; repeat < REPEATS; repeat++) {
                    for (String model : List.of("sonnet", "haiku")) {
                        j.append(trial(rnd, caseId, model, repeat, model.equals("haiku") ? slowdown : 1,
                                withFailures, n++));
                    }
                }
            }
        }
        List<RunInfo.ModelRef> models = List.of(new RunInfo.ModelRef("sonnet", "claude-sonnet-4-6"),
                new RunInfo.ModelRef("haiku", "claude-haiku-4-5"));
        RunInfo info = new RunInfo("regression", "suites/does-not-exist.yaml", name + "-20261103-101530", "emulator",
                false, START, START.plusMillis(8_400), 8_400.0, n, 8, models, "2026-11-23", "0.1.0-SNAPSHOT",
                "21.0.5");
        return new RunResult(info, journal, journal.getParent());
    }

    /** This run compared with a baseline made from a faster, all-passing run of the same cases. */
    static Comparison compared(Path dir, RunResult run) throws IOException {
        RunResult base = run(dir, "baseline", 0.8, false);
        Path file = dir.resolve("baseline.json");
        Baselines.write(base, file);
        return Baselines.compare(file, run, Gates.DEFAULTS, Baselines.defaultPricing());
    }

    private static TrialResult trial(Random rnd, String caseId, String model, int repeat,
            double slow, boolean withFailures, int n) {
        boolean haiku = model.equals("haiku");
        String modelId = haiku ? "claude-haiku-4-5" : "claude-sonnet-4-6";
        String id = caseId + "/" + model + "/" + repeat;
        Instant at = START.plusMillis(300L * n);
        if (withFailures && haiku && caseId.equals("slow-summary") && repeat == 1) {
            TrialError err = new TrialError("timeout_first_token", 0, null, "no token within 10 s");
            return TrialResult.builder(id, caseId, model, modelId, repeat).error(err).attempts(2).startedAt(at)
                    .attemptLog(List.of(new AttemptRecord(1, 0, "timeout_first_token", null, null, 0, null), new AttemptRecord(2, 0, "timeout_first_token", null, null, 512.0, null)))
                    .queueMs(1.2).backoffMs(512.0).ratelimitWaitMs(0.4).build();
        }
        double ttftMs = (haiku ? 420 : 880) * slow * Math.exp(rnd.nextGaussian() * 0.18);
        int gaps = 20 + rnd.nextInt(40);
        long[] itl = new long[gaps];
        double e2eMs = ttftMs;
        for (int g = 0; g < gaps; g++) {
            double gap = Math.max(0.5, (haiku ? 7 : 13) * slow * Math.exp(rnd.nextGaussian() * 0.35));
            itl[g] = Math.round(gap * 1e6);
            e2eMs += gap;
        }
        ObjectNode usageJson = Journal.JSON.createObjectNode();
        long cw5 = caseId.equals("policy-qa") && repeat == 0 ? 2_400 : 0;
        long cw1 = caseId.equals("long-context") && repeat == 0 ? 6_000 : 0;
        long read = (caseId.equals("policy-qa") ? 2_400 : caseId.equals("long-context") ? 6_000 : 0) - cw5 - cw1;
        usageJson.put("input_tokens", 180 + rnd.nextInt(400)).put("output_tokens", gaps + 1)
                .put("cache_creation_input_tokens", cw5 + cw1).put("cache_read_input_tokens", read);
        usageJson.putObject("cache_creation").put("ephemeral_5m_input_tokens", cw5).put("ephemeral_1h_input_tokens", cw1);
        Usage usage = Usage.fromJson(usageJson);
        Optional<Cost> cost = Baselines.defaultPricing().cost(modelId, usage, false);
        Timings timings = new Timings(Math.round(ttftMs * 0.3e6), Math.round(ttftMs * 1e6), Math.round(ttftMs * 1e6),
                Math.round(e2eMs * 1e6), itl, gaps + 1);
        String output = switch (caseId) {
            case "xss-output" -> XSS;
            case "invoice-json" -> withFailures && haiku && repeat == 2 ? "Here is the JSON: {\"invoice\": \"INV-1\""
                    : "{\"invoice_number\": \"INV-2026-0412\", \"total\": 1249.5, \"currency\": \"EUR\"}";
            case "translate-fr" -> "Bonjour, votre commande a été expédiée.";
            default -> "Answer for " + caseId + " from " + model + ".\nSecond line of the answer.";
        };
        List<CheckResult> checks = new ArrayList<>();
        checks.add(CheckResult.pass("latency", "e2e " + Fmt.ms(e2eMs) + " ≤ 30000 ms"));
        if (caseId.equals("xss-output")) {
            checks.add(withFailures && haiku ? CheckResult.fail("contains", "expected \"<b>safe</b>\"; not found in "
                    + XSS) : CheckResult.pass("contains", "found \"alert\""));
        } else if (caseId.equals("invoice-json")) {
            checks.add(output.startsWith("{") ? CheckResult.pass("is-json", "valid JSON matching the schema")
                    : CheckResult.fail("is-json", "not JSON: unexpected text before '{' at offset 0"));
        } else {
            checks.add(CheckResult.pass("equals", "expected to equal the reference"));
        }
        boolean pass = checks.stream().allMatch(CheckResult::pass);
        return TrialResult.builder(id, caseId, model, modelId, repeat).pass(pass).requestId("req_" + n)
                .stopReason("end_turn").outputText(output).timings(TimingsMillis.of(timings, usage.outputTokens()))
                .usage(usageJson).costUsd(cost.map(Cost::totalUsd).orElse(null)).unpriced(cost.isEmpty())
                .cacheSavingsUsd(cost.map(Cost::cacheSavingsUsd).orElse(null)).checks(checks).attempts(1)
                .startedAt(at).attemptLog(List.of(new AttemptRecord(1, 200, null, null, "req_" + n, 0, e2eMs)))
                .queueMs(0.2).ratelimitWaitMs(0.01).build();
    }
}
