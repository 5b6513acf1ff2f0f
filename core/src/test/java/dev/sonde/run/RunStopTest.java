package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.api.ApiKey;
import dev.sonde.api.BatchClient;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.testing.ScriptedProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop from outside (a signal): nothing is sent after it, the requests in flight are cancelled
 * and their trials journaled as skipped with its reason, the rest skipped too, and the run ends
 * as a budget stop does — one request per trial, batches and benchmarks alike.
 */
@Tag("hostile")
class RunStopTest {
    private static final String SIGINT = "interrupted (SIGINT)";
    @TempDir
    Path dir;

    private Suite suite(String extra) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: t
                models: [{id: s, model: claude-sonnet-4-6}]
                cases:
                  - {id: a, prompt: "capital of France?", assert: [{type: contains, value: Paris}]}
                  - {id: b, prompt: "capital of Spain?", assert: [{type: contains, value: Madrid}]}
                run: {repeat: 5}
                %s
                """.formatted(extra));
        return SuiteLoader.load(f);
    }

    private static RunInfo meta() {
        return new RunInfo("t", "s.yaml", "run-1", "http://fake.test", true, Instant.EPOCH, null, 0, 0, 0,
                List.of(), null, "test", "21");
    }

    /**
     * Answers the first {@code answered} calls, then holds each call until its thread is interrupted
     * (counted in {@code cancelled}), counting down {@code holding} as each begins to wait.
     */
    private static ScriptedProvider holdingAfter(int answered, CountDownLatch holding, AtomicInteger cancelled) {
        AtomicInteger calls = new AtomicInteger();
        Function<MessageRequest, Exchange> answer = r -> {
            if (calls.incrementAndGet() <= answered) {
                return RunnerTest.text(r, "Paris Madrid");
            }
            holding.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                cancelled.incrementAndGet();
                Thread.currentThread().interrupt();
            }
            throw new CancellationException("the request was cancelled");
        };
        return ScriptedProvider.answering(answer);
    }

    private static List<TrialResult> journal(Path out) throws Exception {
        try (Stream<TrialResult> s = Journal.read(out.resolve("trials.jsonl"))) {
            return s.toList();
        }
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void a_stop_cancels_the_requests_in_flight_and_journals_them_and_the_rest_as_skipped() throws Exception {
        Suite suite = suite("");
        CountDownLatch holding = new CountDownLatch(3);
        AtomicInteger cancelled = new AtomicInteger();
        ScriptedProvider provider = holdingAfter(4, holding, cancelled);
        RunStop stop = new RunStop();
        Runner runner = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE).withStop(stop);
        Thread.ofVirtual().start(() -> {
            try {
                if (holding.await(30, TimeUnit.SECONDS)) {
                    stop.request(SIGINT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        Path out = dir.resolve("out");
        assertThatThrownBy(() -> runner.run(suite, Plan.expand(suite), 3, meta(), out))
                .isInstanceOfSatisfying(RunAborted.class, aborted -> {
                    assertThat(aborted.getMessage()).isEqualTo(SIGINT);
                    assertThat(aborted.partial().skippedTrials()).isEqualTo(6);
                    assertThat(aborted.partial().stoppedBy()).isEqualTo(SIGINT);
                });

        assertThat(provider.calls()).as("four answered, three cancelled, nothing sent after the stop").isEqualTo(7);
        eventually(() -> cancelled.get() == 3);
        assertThat(cancelled).as("every request in flight was interrupted, not left to run").hasValue(3);
        List<TrialResult> trials = journal(out);
        assertThat(trials).hasSize(10);
        assertThat(trials).filteredOn(t -> t.skipped() == null).hasSize(4).allMatch(TrialResult::pass);
        assertThat(trials).filteredOn(t -> t.skipped() != null).hasSize(6)
                .allSatisfy(t -> assertThat(t.skipped()).isEqualTo(SIGINT))
                .allSatisfy(t -> assertThat(t.error()).as("a cancelled trial is not a failure").isNull());
    }

    @Test
    void a_stop_asked_before_the_run_begins_sends_nothing_and_skips_every_trial() throws Exception {
        Suite suite = suite("");
        ScriptedProvider provider = ScriptedProvider.answering(r -> RunnerTest.text(r, "Paris"));
        RunStop stop = new RunStop();
        assertThat(stop.request("interrupted (SIGTERM)")).isTrue();
        assertThat(stop.request(SIGINT)).as("the first reason stays").isFalse();

        Runner runner = new Runner(provider, PricingTable.defaults(), new ManualClock(), TrialListener.NONE).withStop(stop);
        assertThatThrownBy(() -> runner.run(suite, Plan.expand(suite), 4, meta(), dir.resolve("out")))
                .isInstanceOf(RunAborted.class).hasMessage("interrupted (SIGTERM)");
        assertThat(provider.calls()).isZero();
        assertThat(journal(dir.resolve("out"))).hasSize(10).allMatch(t -> "interrupted (SIGTERM)".equals(t.skipped()));
    }

    @Test
    void a_stopped_batch_is_cancelled_on_the_server_and_its_cancelled_entries_are_skipped() throws Exception {
        Suite suite = suite("");
        EmulatorConfig config = EmulatorConfig.builder().batchProcessingMillis(600_000).build();
        RunStop stop = new RunStop();
        TrialListener onPoll = new TrialListener() {
            @Override
            public void finished(TrialResult result, int done, int total) {
            }

            @Override
            public void note(String message) {
                stop.request(SIGINT); // the batch is submitted and being polled
            }
        };
        long started = System.nanoTime();
        try (Emulator emulator = Emulator.start(config)) {
            BatchClient batches = new BatchClient(emulator.baseUri(), ApiKey.of("sk-emulator-local"), Clock.system(),
                    Duration.ofSeconds(5));
            Runner runner = new Runner(ScriptedProvider.answering(r -> RunnerTest.text(r, "unused")),
                    PricingTable.defaults(), Clock.system(), onPoll).withStop(stop);
            assertThatThrownBy(() -> runner.runBatch(suite, Plan.expand(suite), meta(), dir.resolve("out"), batches))
                    .isInstanceOf(RunAborted.class).hasMessage(SIGINT);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("the batch was cancelled, not waited out for its 10 minutes").isLessThan(Duration.ofSeconds(60));
        assertThat(journal(dir.resolve("out"))).hasSize(10).allMatch(t -> SIGINT.equals(t.skipped()));
    }

    @Test
    void a_stopped_benchmark_cancels_its_requests_and_begins_no_further_step() throws Exception {
        Path f = dir.resolve("load.yaml");
        Files.writeString(f, """
                name: load
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 20}}]
                cases:
                  - {id: a, prompt: "Tell me about harbours"}
                load: {mode: closed, concurrency: [2, 2], duration_s: 60, warmup_s: 0}
                """);
        Suite suite = SuiteLoader.load(f);
        CountDownLatch holding = new CountDownLatch(2);
        AtomicInteger cancelled = new AtomicInteger();
        ScriptedProvider provider = holdingAfter(5, holding, cancelled);
        RunStop stop = new RunStop();
        Thread.ofVirtual().start(() -> {
            try {
                if (holding.await(30, TimeUnit.SECONDS)) {
                    stop.request(SIGINT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long started = System.nanoTime();
        Path out = dir.resolve("out");
        new LoadRunner(t -> provider, Clock.system(), TrialListener.NONE).withStop(stop).run(suite, Plan.expand(suite), out);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(provider.calls()).as("nothing sent after the stop").isEqualTo(7);
        eventually(() -> cancelled.get() == 2);
        assertThat(cancelled).hasValue(2);
        // the five answered requests: the probe (in no step) and four of step 0; the cancelled ones had nothing to measure
        assertThat(journal(out)).extracting(t -> t.load().step()).containsExactly(LoadRunner.PROBE_STEP, 0, 0, 0, 0);
    }
}
