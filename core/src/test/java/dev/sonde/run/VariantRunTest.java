package dev.sonde.run;

import dev.sonde.testing.ScriptedProvider;

import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.ServerHints;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.VirtualClock;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache-variant run through the runner: retry backoff on the virtual clock offline, and the priming request. */
class VariantRunTest {
    private static final long SECOND = 1_000_000_000L;
    @TempDir
    Path dir;
    private final ManualClock base = new ManualClock();

    /** Answers from a script (then successes), records every body, takes 100 ms of base time per call. */
    private Suite suite() throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: v
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                defaults: {system: "Long policy text."}
                cases: [{id: c, prompt: "capital of France?", assert: [{type: contains, value: Paris}]}]
                variants: [{id: none, cache: none}, {id: sys, cache: [{at: system, ttl: 1h}]}]
                sequence: {requests: 2, inter_arrival_s: 60}
                """);
        return SuiteLoader.load(f);
    }

    private void run(ScriptedProvider provider, VirtualClock virtual) throws Exception {
        Suite suite = suite();
        RunInfo meta = new RunInfo("v", "s.yaml", "run", "x", false, Instant.EPOCH, null, 0, 0, 0, List.of(), null, "t", "21");
        Runner runner = new Runner(provider, PricingTable.defaults(), base, TrialListener.NONE);
        if (virtual != null) {
            runner.withVirtualTime(virtual);
        }
        runner.run(suite, Plan.expand(suite), 1, meta, dir.resolve("out"));
    }

    private List<TrialResult> journal() throws Exception {
        try (Stream<TrialResult> s = Journal.read(dir.resolve("out/trials.jsonl"))) {
            return s.toList();
        }
    }

    @Test
    void offline_a_retry_after_is_skipped_on_the_virtual_clock_not_slept() throws Exception {
        ScriptedProvider p = scripted();
        p.then(RetriesAndBudgetTest.ok("claude-sonnet-4-6", 5, 1)); // the priming request's answer
        p.then(RetriesAndBudgetTest.error(529, "overloaded_error", ErrorClass.OVERLOADED,
                new ServerHints(null, 30 * SECOND, Map.of())));
        VirtualClock virtual = new VirtualClock(base);
        run(p, virtual);

        TrialResult first = journal().get(0);
        assertThat(first.trialId()).isEqualTo("c/s/none/0");
        assertThat(first.attempts()).isEqualTo(2);
        assertThat(first.backoffMs()).isEqualTo(30_000.0);
        assertThat(base.nanoTime()).as("only the 6 calls took real time: the 30 s backoff was skipped")
                .isEqualTo(6 * 100_000_000L);
        assertThat(virtual.skippedNanos()).as("backoff + 2 gaps of 60 s less the requests' time + the cool-down")
                .isGreaterThanOrEqualTo(30 * SECOND + 3600 * SECOND);
    }

    @Test
    void offline_one_tiny_uncached_request_primes_the_emulator_before_the_first_sequence() throws Exception {
        ScriptedProvider p = scripted();
        run(p, new VirtualClock(base));

        assertThat(bodies(p)).hasSize(5);
        ObjectNode prime = bodies(p).get(0);
        assertThat(prime.toString()).doesNotContain("cache_control", "system", "France");
        assertThat(prime.get("model").asText()).isEqualTo("claude-sonnet-4-6");
        assertThat(prime.get("max_tokens").asInt()).isEqualTo(1);
        assertThat(prime.at("/messages/0/content").asText()).isEqualTo(Primer.PROMPT);
        assertThat(journal()).extracting(TrialResult::trialId).as("not journaled")
                .containsExactly("c/s/none/0", "c/s/none/1", "c/s/sys/0", "c/s/sys/1");
        assertThat(bodies(p).get(3).toString()).contains("cache_control");
    }

    @Test
    void live_nothing_is_primed_and_backoff_is_waited_for_real() throws Exception {
        ScriptedProvider p = scripted();
        p.then(RetriesAndBudgetTest.error(529, "overloaded_error", ErrorClass.OVERLOADED,
                new ServerHints(null, 30 * SECOND, Map.of())));
        run(p, null);

        assertThat(bodies(p)).hasSize(5);
        assertThat(bodies(p).get(0).toString()).contains("France");
        assertThat(journal().get(0).backoffMs()).isEqualTo(30_000.0);
        assertThat(base.nanoTime()).as("live: the backoff and the gaps are waited").isGreaterThanOrEqualTo(30 * SECOND);
    }

    /** A provider on this test's clock: each call takes 100 ms of it; an unscripted request gets a small answer. */
    ScriptedProvider scripted() {
        return ScriptedProvider.answering(r -> RetriesAndBudgetTest.ok(r.model(), 100, 10))
                .onEachCall(() -> base.advanceMillis(100)).serial();
    }

    private static List<ObjectNode> bodies(ScriptedProvider p) {
        return p.sent().stream().map(MessageRequest::body).toList();
    }
}
