package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.LatencyProfile;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.Suites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a live run says on the console: a stopped run (key rejected, budget spent) prints its
 * summary as far as it got and one line for the trials it skipped, never a line per skipped trial,
 * and its reports give the skip's reason.
 */
class LiveRunConsoleTest {
    /** Split in two, so no committed line looks like a real key. */
    private static final String KEY = "sk-ant-" + "wrong-key-0123456789-a1b2";
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    private static Result sonde(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static EmulatorConfig.Builder instant() {
        return EmulatorConfig.builder().latency(List.of(new LatencyProfile("*", 0, 0, 0, 0)));
    }

    private static List<TrialResult> journal(Path run) throws Exception {
        try (Stream<TrialResult> s = Journal.read(run.resolve("trials.jsonl"))) {
            return s.toList();
        }
    }

    @Test
    void a_rejected_key_prints_the_summary_and_one_line_for_the_26_trials_it_skipped() throws Exception {
        Path suite = Suites.numbered(dir, "wrongkey", 27, 4);
        Path out = dir.resolve("out");
        try (Emulator emu = Emulator.start(instant().acceptedKeys(Set.of("sk-the-right-key")).build())) {
            String endpoint = emu.baseUri().toString().replaceAll("/$", "");
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--endpoint",
                    emu.baseUri().toString(), "--out", out.toString());

            assertThat(r.exit()).as(r.err()).isEqualTo(Main.CANNOT_PROCEED);
            assertThat(emu.requestCount()).isEqualTo(1);
            List<String> err = r.err().lines().toList();
            assertThat(err).noneMatch(l -> l.startsWith("SKIPPED"));
            assertThat(err).filteredOn(l -> l.startsWith("sonde:") && l.contains("skipped")).containsExactly(
                    "sonde: 26 trials skipped for that reason (not sent)");
            assertThat(err).containsSubsequence(
                    "ERRORED c00 [s]: auth (401 authentication_error): invalid x-api-key",
                    "sonde: run stopped: " + endpoint + ": auth (401 authentication_error): invalid x-api-key",
                    "sonde: 26 trials skipped for that reason (not sent)",
                    "partial results: " + out.toAbsolutePath() + " (--resume " + out.toAbsolutePath()
                            + " sends the skipped trials)");
            List<String> summary = r.out().lines().toList();
            assertThat(summary.get(0)).startsWith("STOPPED  wrongkey: 0/1 passed, 0 failed, 1 errored, 26 skipped  (LIVE "
                    + endpoint + ", ");
            assertThat(summary.get(1)).startsWith("  s ").endsWith("$0.000000");
            assertThat(r.out() + r.err()).doesNotContain(KEY);
        }
        assertThat(journal(out)).hasSize(27).filteredOn(t -> t.skipped() != null).hasSize(26);
        assertThat(Files.readString(out.resolve("summary.md")))
                .contains("| c01 \\[s\\] | skipped | skipped (not sent): http://")
                .doesNotContain("no failing check recorded");
        assertThat(headline(out)).contains("**0/1** passed · 1 errored · 26 skipped (not sent): http://")
                .contains("invalid x-api-key · ");
        assertThat(Files.readString(out.resolve("report.html")))
                .containsPattern("data-skipped[^>]*>26 skipped \\(not sent\\): http://127\\.0\\.0\\.1:\\d+: auth \\(401"
                        + " authentication_error\\): invalid x-api-key</div>");
    }

    /** The line of summary.md under its title: LIVE or EMULATOR, the counts, when, run id. */
    private static String headline(Path run) throws Exception {
        return Files.readString(run.resolve("summary.md")).lines().filter(l -> l.contains("** passed")).findFirst()
                .orElseThrow();
    }

    @Test
    void a_spent_budget_prints_what_ran_and_what_it_cost_then_one_line_for_the_rest() throws Exception {
        Path suite = Suites.write(dir, "budget.yaml", """
                name: capped
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 16}}]
                cases:
                  - {id: a, prompt: "one"}
                  - {id: b, prompt: "two"}
                  - {id: c, prompt: "three"}
                  - {id: d, prompt: "four"}
                  - {id: e, prompt: "five"}
                  - {id: f, prompt: "six"}
                run: {concurrency: 1}
                budget: {max_trials: 2}
                emulator: {seed: 3, config: fast.yaml}
                """);
        Path out = dir.resolve("capped");
        Result r = sonde(Map.of(), "run", suite.toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(Main.CANNOT_PROCEED);
        assertThat(r.out().lines().findFirst().orElseThrow())
                .startsWith("STOPPED  capped: 2/2 passed, 0 failed, 0 errored, 4 skipped  (emulator, ");
        assertThat(r.out()).containsPattern("  s +2/2 +pass .*\\$0\\.000[1-9]");
        List<String> err = r.err().lines().filter(l -> !l.startsWith("sonde: emulator on")).toList();
        assertThat(err).hasSize(3);
        assertThat(err.get(0)).startsWith("sonde: run stopped: budget: max_trials 2 reached");
        assertThat(err.get(1)).isEqualTo("sonde: 4 trials skipped for that reason (not sent)");
        assertThat(headline(out)).contains("**2/2** passed · 4 skipped (not sent): budget: max\\_trials 2 reached");
        assertThat(err.get(2)).isEqualTo("partial results: " + out.toAbsolutePath() + " (budget.max_trials is reached and"
                + " --resume counts the trials journaled there, so it would send nothing: to send the 4 skipped trials,"
                + " raise budget.max_trials in " + suite + " and start a new run; --resume refuses a changed suite file)");

        // what the line says: a resume under the same budget sends nothing, and one with a raised budget is refused
        Result resumed = sonde(Map.of(), "run", suite.toString(), "--resume", out.toString());
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(Main.CANNOT_PROCEED);
        assertThat(journal(out)).filteredOn(t -> t.skipped() == null).hasSize(2);
        assertThat(resumed.err()).contains("budget.max_trials is reached");
        Files.writeString(suite, Files.readString(suite).replace("max_trials: 2", "max_trials: 10"));
        Result raised = sonde(Map.of(), "run", suite.toString(), "--resume", out.toString());
        assertThat(raised.exit()).as(raised.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(raised.err()).contains("the plan has changed since that run started");
        Result fresh = sonde(Map.of(), "run", suite.toString(), "-q", "--out", dir.resolve("fresh").toString());
        assertThat(fresh.exit()).as(fresh.err()).isEqualTo(Main.PASSED);
    }

    @Test
    void a_spent_usd_cap_says_to_raise_max_usd_not_to_resume() throws Exception {
        Path suite = Suites.write(dir, "usd.yaml", """
                name: usd
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 4000}}]
                cases:
                  - {id: a, prompt: "one"}
                  - {id: b, prompt: "two"}
                budget: {max_usd: 0.01}
                emulator: {seed: 3, config: fast.yaml}
                """);
        Path out = dir.resolve("usd");
        Result r = sonde(Map.of(), "run", suite.toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(Main.CANNOT_PROCEED);
        assertThat(r.err()).contains("sonde: run stopped: budget: max_usd $0.0100 would be exceeded")
                .contains("partial results: " + out.toAbsolutePath() + " (budget.max_usd cannot hold the next request"
                        + " and --resume counts the spend in its spend.jsonl, so it could send little or nothing: to send the 2 skipped"
                        + " trials, raise budget.max_usd in " + suite)
                .doesNotContain(" sends the skipped trials");
    }

    @Test
    void skipped_lines_group_by_reason_and_do_not_repeat_the_stop_reason() {
        Map<String, Integer> skipped = new java.util.LinkedHashMap<>();
        skipped.put("budget: case x cannot be bounded under max_usd", 1);
        skipped.put("interrupted (SIGINT)", 1_234);

        assertThat(RunCommand.skippedLines(skipped, "interrupted (SIGINT)")).containsExactly(
                "sonde: 1 trial skipped (not sent): budget: case x cannot be bounded under max_usd",
                "sonde: 1,234 trials skipped for that reason (not sent)");
        assertThat(RunCommand.skippedLines(Map.of(), null)).isEmpty();
    }

    @Test
    void a_live_run_announces_itself_before_its_first_request_even_when_quiet() throws Exception {
        Path suite = Suites.write(dir, "live.yaml", """
                name: live
                models:
                  - {id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 16}}
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 16}}
                cases:
                  - {id: a, prompt: "one", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                  - {id: b, prompt: "two", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                run: {repeat: 3, retry: {max_attempts: 2}}
                budget: {max_usd: 2.5, max_trials: 100}
                """);
        try (Emulator emu = Emulator.start(instant().build())) {
            String endpoint = emu.baseUri().toString().replaceAll("/$", "");
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--endpoint",
                    emu.baseUri().toString(), "--out", dir.resolve("live-out").toString(), "-q");

            assertThat(r.exit()).as(r.err()).isEqualTo(Main.PASSED);
            assertThat(r.err().lines().toList()).containsExactly(
                    "sonde: LIVE → " + endpoint + ": sonnet (claude-sonnet-4-6), haiku (claude-haiku-4-5); key …a1b2 "
                            + "from ANTHROPIC_API_KEY",
                    "sonde: LIVE plan: 12 trials, 12 requests (up to 2 attempts each with retries); "
                            + "budget: max_usd $2.50, max_trials 100");
            assertThat(r.err()).doesNotContain(KEY).doesNotContain(KEY.substring(0, KEY.length() - 4));
        }
        Path out = dir.resolve("live-out");
        assertThat(headline(out)).contains("**12/12** passed").doesNotContain("skipped");
        assertThat(Files.readString(out.resolve("report.html"))).doesNotContain("data-skipped")
                .doesNotContain("skipped (not sent)");
    }

    @Test
    void a_short_key_shows_none_of_itself_and_a_tool_loop_gives_an_upper_bound() throws Exception {
        Path suite = Suites.write(dir, "loop.yaml", """
                name: loop
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 16}}]
                cases:
                  - {id: plain, prompt: "one"}
                  - id: looped
                    prompt: "look it up"
                    tool_loop: {max_turns: 4, results: {default: "nothing found"}}
                """);
        String shortKey = "sk-short-9876";
        try (Emulator emu = Emulator.start(instant().build())) {
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", shortKey), "run", suite.toString(), "--endpoint",
                    emu.baseUri().toString(), "--out", dir.resolve("loop-out").toString());

            List<String> banner = r.err().lines().filter(l -> l.startsWith("sonde: LIVE")).toList();
            assertThat(banner).hasSize(2);
            assertThat(banner.get(0)).endsWith(": s (claude-sonnet-4-6); key (under 20 characters: none of it shown) "
                    + "from ANTHROPIC_API_KEY");
            assertThat(banner.get(1)).isEqualTo("sonde: LIVE plan: 2 trials, up to 5 requests (a tool loop may take "
                    + "up to 4 turns; up to 3 attempts each with retries); budget: none (set budget.max_usd in the suite "
                    + "to cap spend)");
            assertThat(r.err()).doesNotContain("9876");
        }
    }

    @Test
    void the_plan_counts_every_graded_checks_grader_requests_and_select_best_groups() throws Exception {
        Path suite = Suites.write(dir, "graded.yaml", """
                name: graded
                models:
                  - {id: s, model: claude-sonnet-4-6, params: {max_tokens: 16}}
                  - {id: h, model: claude-haiku-4-5, params: {max_tokens: 16}}
                run: {repeat: 2}
                cases:
                  - id: judged
                    prompt: "What is the capital of France?"
                    assert:
                      - {type: g-eval, value: [clear, correct]}
                      - {type: not-factuality, value: "Paris"}
                      - {type: assert-set, assert: [{type: llm-rubric, value: polite}, {type: contains, value: a}]}
                      - {type: select-best, value: "the most helpful"}
                  - {id: plain, prompt: "two", assert: [{type: contains, value: a}]}
                """);
        try (Emulator emu = Emulator.start(instant().build())) {
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", "sk-short-1234"), "run", suite.toString(), "--endpoint",
                    emu.baseUri().toString(), "--out", dir.resolve("graded-out").toString());

            // judged: 4 trials × (2 × 2 g-eval + 1 factuality + 1 llm-rubric) = 24; select-best: 2 repeats = 2 groups
            assertThat(r.err().lines().filter(l -> l.startsWith("sonde: LIVE plan:"))).singleElement().asString()
                    .contains("8 trials, 8 requests (plus up to 24 grader requests for graded checks; plus 2 select-best "
                            + "grader requests after the run;");
        }
    }

    @Test
    void an_emulator_run_prints_no_banner_and_a_benchmark_says_what_its_load_sends() throws Exception {
        Path suite = Suites.numbered(dir, "offline", 3, 2);
        Result offline = sonde(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--out",
                dir.resolve("offline-out").toString());
        assertThat(offline.err()).doesNotContain("LIVE");

        Path bench = Suites.write(dir, "bench.yaml", """
                name: bench
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 8}}]
                cases: [{id: a, prompt: "hi"}]
                load: {mode: open, rate_per_s: [5, 10], duration_s: 1, max_requests: 8}
                """);
        try (Emulator emu = Emulator.start(instant().build())) {
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", KEY), "run", bench.toString(), "--endpoint",
                    emu.baseUri().toString(), "--out", dir.resolve("bench-out").toString(), "-q");

            assertThat(r.err().lines().filter(l -> l.startsWith("sonde: LIVE plan:"))).containsExactly(
                    "sonde: LIVE plan: benchmark, 2 steps of 1 s at 5, 10 requests/s: about 13 requests (at most 8 a "
                            + "step); budget: none (a benchmark is bounded by load:)");
        }
    }

    @Test
    void a_model_left_on_the_emulator_is_named_and_only_live_trials_are_counted() throws Exception {
        try (Emulator emu = Emulator.start(instant().build())) {
            String endpoint = emu.baseUri().toString().replaceAll("/$", "");
            Path suite = Suites.write(dir, "mixed.yaml", """
                    name: mixed
                    models:
                      - {id: far, model: claude-sonnet-4-6, base_url: "%s", params: {max_tokens: 8}}
                      - {id: near, model: claude-haiku-4-5, params: {max_tokens: 8}}
                    cases: [{id: a, prompt: "one"}, {id: b, prompt: "two"}]
                    run: {retry: {max_attempts: 1}}
                    emulator: {seed: 2, config: fast.yaml}
                    """.formatted(endpoint));
            Result r = sonde(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--out",
                    dir.resolve("mixed-out").toString(), "-q");

            assertThat(r.exit()).as(r.err()).isEqualTo(Main.PASSED);
            assertThat(r.err().lines().toList()).containsExactly(
                    "sonde: LIVE → " + endpoint + ": far (claude-sonnet-4-6); key …a1b2 from ANTHROPIC_API_KEY",
                    "sonde: LIVE run, but near on the embedded emulator (no key sent there)",
                    "sonde: LIVE plan: 2 trials on live endpoints, 2 requests; budget: none (set budget.max_usd in "
                            + "the suite to cap spend)");
            assertThat(emu.requestCount()).isEqualTo(2);
        }
    }
}
