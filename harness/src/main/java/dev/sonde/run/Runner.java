package dev.sonde.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.check.Check;
import dev.sonde.check.CheckResult;
import dev.sonde.check.Checks;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Cost;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.RunSummary;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.suite.CaseSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Executes a plan: each trial on a virtual thread, at most {@code concurrency} in flight, each
 * finished trial checked, priced, appended to the journal and added to the summary before it is
 * counted. The first trial runs alone, as a probe: if the endpoint rejects the key or cannot be
 * reached, the run stops after exactly one request ({@link RunAborted}); the same holds for such
 * a failure later (in-flight trials finish, nothing new starts).
 *
 * <p>All checks are built before anything is sent, so a bad assertion parameter costs nothing.
 */
public final class Runner {
    private final Provider provider;
    private final PricingTable pricing;
    private final Clock clock;
    private final TrialListener listener;

    public Runner(Provider provider, PricingTable pricing, Clock clock, TrialListener listener) {
        this.provider = provider;
        this.pricing = pricing;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * @param meta run metadata without the finish fields (filled in here)
     * @param outDir where {@code trials.jsonl} goes
     */
    public RunResult run(Suite suite, List<Trial> trials, int concurrency, RunInfo meta, Path outDir)
            throws SuiteException, IOException, InterruptedException, RunAborted {
        Map<String, List<Check>> checks = new HashMap<>();
        for (CaseSpec c : suite.cases()) {
            checks.put(c.id(), Checks.createAll(c.asserts()));
        }
        RunSummary summary = new RunSummary();
        AtomicReference<String> abort = new AtomicReference<>();
        AtomicInteger done = new AtomicInteger();
        long startNanos = clock.nanoTime();
        Path journalPath = outDir.resolve("trials.jsonl");
        try (Journal journal = Journal.open(journalPath)) {
            Worker worker = new Worker(suite, checks, journal, summary, abort, done, trials.size());
            if (!trials.isEmpty()) {
                worker.execute(trials.get(0));
            }
            if (abort.get() == null && trials.size() > 1) {
                runRest(trials.subList(1, trials.size()), Math.max(1, concurrency), worker, abort);
            }
        }
        Instant finished = clock.now();
        double wallMs = TimingsMillis.millis(clock.nanoTime() - startNanos);
        RunInfo info = new RunInfo(meta.suite(), meta.suiteFile(), meta.runId(), meta.endpoint(), meta.live(),
                meta.startedAt(), finished, wallMs, trials.size(), concurrency, meta.models(), pricing.version(),
                meta.sondeVersion(), meta.javaVersion());
        RunResult result = new RunResult(info, summary.snapshot(), journalPath, outDir);
        if (abort.get() != null) {
            throw new RunAborted(abort.get(), result);
        }
        return result;
    }

    private static void runRest(List<Trial> rest, int concurrency, Worker worker, AtomicReference<String> abort)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<Throwable> crash = new AtomicReference<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Trial t : rest) {
                slots.acquire();
                if (abort.get() != null || crash.get() != null) {
                    slots.release();
                    break;
                }
                pool.submit(() -> {
                    try {
                        worker.execute(t);
                    } catch (Throwable e) {
                        crash.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        Throwable e = crash.get();
        if (e instanceof InterruptedException ie) {
            throw ie;
        }
        if (e instanceof IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
        if (e != null) {
            throw new IllegalStateException("a trial crashed the run: " + e, e);
        }
    }

    /** Sends, checks, prices and records one trial. */
    private final class Worker {
        private final Suite suite;
        private final Map<String, List<Check>> checks;
        private final Journal journal;
        private final RunSummary summary;
        private final AtomicReference<String> abort;
        private final AtomicInteger done;
        private final int total;

        Worker(Suite suite, Map<String, List<Check>> checks, Journal journal, RunSummary summary,
                AtomicReference<String> abort, AtomicInteger done, int total) {
            this.suite = suite;
            this.checks = checks;
            this.journal = journal;
            this.summary = summary;
            this.abort = abort;
            this.done = done;
            this.total = total;
        }

        void execute(Trial trial) throws InterruptedException, IOException {
            Instant startedAt = clock.now();
            Exchange ex = provider.send(new MessageRequest(trial.body(), trial.headers(), suite.run().timeout()));
            ApiFailure failure = ex.failure();
            if (failure != null && failure.errorClass().stopsRun()) {
                abort.compareAndSet(null, provider.endpoint() + ": " + failure.describe());
            }
            Optional<Cost> cost = pricing.cost(trial.model().model(), ex.usage(), false);
            Double costUsd = cost.map(Cost::totalUsd).orElse(null);
            List<CheckResult> results = new ArrayList<>();
            boolean pass = ex.ok();
            if (ex.ok()) {
                for (Check c : checks.get(trial.caseSpec().id())) {
                    CheckResult r = c.evaluate(ex, costUsd);
                    results.add(r);
                    pass &= r.pass();
                }
            }
            TrialResult result = new TrialResult(trial.id(), trial.caseSpec().id(), trial.model().id(),
                    trial.model().model(), trial.repeat(), pass, TrialError.of(failure), ex.requestId(),
                    ex.stopReason(), ex.text(), toolCalls(ex), TimingsMillis.of(ex.timings(), ex.usage().outputTokens()),
                    ex.usage().raw(), costUsd, cost.isEmpty(), cost.map(Cost::cacheSavingsUsd).orElse(null),
                    List.copyOf(results), 1, startedAt);
            journal.append(result);
            summary.add(trial.model().id(), pass, failure == null ? null : failure.errorClass().wireName(),
                    ex.timings(), ex.usage(), cost);
            listener.finished(result, done.incrementAndGet(), total);
        }
    }

    private static List<JsonNode> toolCalls(Exchange ex) {
        List<JsonNode> calls = new ArrayList<>();
        for (ContentBlock.ToolUse t : ex.toolUses()) {
            ObjectNode call = JsonNodeFactory.instance.objectNode();
            call.put("id", t.id());
            call.put("name", t.name());
            call.set("input", t.input());
            calls.add(call);
        }
        return calls;
    }
}
