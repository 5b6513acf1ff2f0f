package dev.sonde.run;

import dev.sonde.testing.ScriptedProvider;

import dev.sonde.testing.Analyses;

import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.journal.TurnRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.check.CheckResult;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool-loop trial as a whole: its timings span the conversation (first turn's TTFT, summed E2E and
 * decode time, every turn's gaps), its text keeps turns apart, its attempts count retries not turns,
 * and a next turn the budget refuses is a budget error that stops the run.
 */
class ToolLoopTrialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000;
    @TempDir
    Path dir;

    /** Three turns: search, book, confirm; {@code overloadTurn2} answers turn 2's first attempt with a 529. */
    private static Exchange answer(MessageRequest r, AtomicInteger turn2Calls, boolean overloadTurn2) {
        int messages = r.body().get("messages").size();
        return switch (messages) {
            case 1 -> exchange(r, List.of(new ContentBlock.Text("Searching flights."), tool("t1", "search_flights")),
                    "tool_use", 1000, 40, new Timings(5 * MS, 100 * MS, 100 * MS, 300 * MS, new long[] {20 * MS, 30 * MS}, 3));
            case 3 -> turn2Calls.incrementAndGet() == 1 && overloadTurn2
                    ? new Exchange(529, "req_529", r.model(), List.of(), null, null, Usage.NONE, Timings.NONE,
                            new ApiFailure(ErrorClass.OVERLOADED, 529, "overloaded_error", "busy"))
                    : exchange(r, List.of(new ContentBlock.Text("Flight found;"), tool("t2", "book_flight")), "tool_use",
                            1200, 60, new Timings(5 * MS, 150 * MS, 150 * MS, 450 * MS, new long[] {40 * MS}, 2));
            default -> exchange(r, List.of(new ContentBlock.Text("Booked AF123.")), "end_turn", 1400, 100,
                    new Timings(6 * MS, 200 * MS, 200 * MS, 700 * MS, new long[] {50 * MS, 60 * MS, 70 * MS}, 4));
        };
    }

    private static ContentBlock.ToolUse tool(String id, String name) {
        return new ContentBlock.ToolUse(id, name, JSON.createObjectNode().put("to", "Paris"));
    }

    private static Exchange exchange(MessageRequest r, List<ContentBlock> content, String stop, int in, int out,
            Timings timings) {
        Usage usage = Usage.fromJson(JSON.valueToTree(Map.of("input_tokens", in, "output_tokens", out)));
        return new Exchange(200, "req_" + stop, r.model(), content, stop, null, usage, timings, null);
    }

    private Suite suite(String extra) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: trip
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                %s
                cases:
                  - id: book-trip
                    prompt: "Book me a flight to Paris."
                    params:
                      tools: [{name: search_flights, input_schema: {type: object}},
                              {name: book_flight, input_schema: {type: object}}]
                    tool_loop: {results: {default: "ok"}}
                    assert:
                      - {type: ttft, max_ms: 120}
                      - {type: latency, max_ms: 1400}
                      - {type: not-contains, value: "found;Booked"}
                  - id: other
                    prompt: "Hello?"
                """.formatted(extra));
        return SuiteLoader.load(f);
    }

    private static RunInfo meta() {
        return new RunInfo("trip", "s.yaml", "run-1", "http://fake.test", true, Instant.EPOCH, null, 0, 0, 0,
                List.of(), null, "test", "21");
    }

    private static Map<String, TrialResult> byCase(Path out) throws Exception {
        try (Stream<TrialResult> s = Journal.read(out.resolve("trials.jsonl"))) {
            return s.collect(Collectors.toMap(TrialResult::caseId, t -> t));
        }
    }

    private RunResult run(Suite suite, boolean overloadTurn2, Path out) throws Exception {
        AtomicInteger turn2 = new AtomicInteger();
        ScriptedProvider provider = RunnerTest.fake(r -> r.body().get("tools") == null
                ? RunnerTest.text(r, "Hi.") : answer(r, turn2, overloadTurn2));
        return new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE)
                .run(suite, Plan.expand(suite), 1, meta(), out);
    }

    @Test
    void the_trial_times_the_whole_conversation_not_its_last_turn() throws Exception {
        Path out = dir.resolve("out");
        RunResult result = run(suite(""), false, out);

        TrialResult trip = byCase(out).get("book-trip");
        assertThat(trip.timings().ttftMs()).isEqualTo(100.0);     // the first turn's
        assertThat(trip.timings().ttfbMs()).isEqualTo(5.0);
        assertThat(trip.timings().e2eMs()).isEqualTo(1450.0);     // 300 + 450 + 700
        assertThat(trip.timings().itlMs()).containsExactly(20.0, 30.0, 40.0, 50.0, 60.0, 70.0);
        assertThat(trip.timings().deltas()).isEqualTo(9);
        // 200 output tokens over (300-100) + (450-150) + (700-200) = 1000 ms of decoding
        assertThat(trip.timings().outputTps()).isEqualTo(200.0);
        assertThat(trip.timings().tpotMs()).isCloseTo(1000.0 / 199, offset(1e-3));
        assertThat(trip.checks()).extracting(CheckResult::type).containsExactly("ttft", "latency", "not-contains");
        assertThat(trip.checks().get(0).pass()).as(trip.checks().get(0).reason()).isTrue();  // 100 ms ≤ 120
        assertThat(trip.checks().get(1).pass()).as(trip.checks().get(1).reason()).isFalse(); // 1450 ms > 1400
        // the per-turn records keep each request's own timings
        assertThat(trip.turns()).extracting(TurnRecord::e2eMs).containsExactly(300.0, 450.0, 700.0);

        var total = Analyses.summary(result).models().get("s");
        assertThat(total.ttftMs().max()).isLessThan(101.0);         // "other" has 50 ms, the loop 100 ms
        assertThat(total.e2eMs().max()).isGreaterThan(1449.0);
        assertThat(total.tpotMs().max()).isCloseTo(1000.0 / 199, offset(0.01));

        // a resumed journal aggregates the same decode time
        RunResult resumed = run(suite(""), false, out);
        assertThat(Analyses.summary(resumed).models().get("s").tpotMs().max()).isCloseTo(total.tpotMs().max(), offset(0.01));
    }

    @Test
    void the_text_keeps_turns_apart_and_attempts_count_retries_not_turns() throws Exception {
        Path out = dir.resolve("out");
        run(suite(""), false, out);
        TrialResult trip = byCase(out).get("book-trip");
        assertThat(trip.outputText()).isEqualTo("Searching flights.\n\nFlight found;\n\nBooked AF123.");
        assertThat(trip.checks().get(2).pass()).as(trip.checks().get(2).reason()).isTrue();
        assertThat(trip.turns()).hasSize(3);
        assertThat(trip.attempts()).isEqualTo(1);

        Path retried = dir.resolve("retried");
        run(suite(""), true, retried);
        TrialResult again = byCase(retried).get("book-trip");
        assertThat(again.turns()).extracting(TurnRecord::attempts).containsExactly(1, 2, 1);
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.attemptLog()).hasSize(4);
    }

    @Test
    void a_next_turn_the_budget_refuses_is_a_budget_error_and_stops_the_run() throws Exception {
        Path out = dir.resolve("out");
        // the first turn (worst case about $0.0052, tools count 1,000 tokens) fits; after it cost
        // $0.0036 the second (worst case about $0.0054) does not
        assertThatThrownBy(() -> run(suite("budget: {max_usd: 0.007}"), false, out))
                .isInstanceOf(RunAborted.class).hasMessageStartingWith("budget: max_usd $0.0070 would be exceeded");

        Map<String, TrialResult> trials = byCase(out);
        TrialResult trip = trials.get("book-trip");
        assertThat(trip.pass()).isFalse();
        assertThat(trip.error().errorClass()).isEqualTo("budget");
        assertThat(trip.error().describe()).startsWith("budget: turn 2 of the tool loop was not sent: max_usd $0.0070");
        assertThat(trip.turns()).hasSize(1);
        assertThat(trip.costUsd()).isCloseTo(1000 * 3e-6 + 40 * 15e-6, offset(1e-12));
        assertThat(trials.get("other").skipped()).startsWith("budget: max_usd");
    }
}
