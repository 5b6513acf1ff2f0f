package dev.sonde.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.api.Timeouts;
import dev.sonde.check.CheckSet;
import dev.sonde.check.CheckResult;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Executes a plan: each trial on a virtual thread, at most {@code concurrency} in flight; each
 * trial's attempts retried by {@link Retrier}, checked, priced, appended to the journal and added
 * to the summary before it is counted. Every planned trial ends with exactly one journal line:
 * a result, or {@code skipped} with the reason.
 *
 * <p>The first trial runs alone, as a probe: if the endpoint rejects the key or cannot be reached,
 * the run stops after that trial ({@link RunAborted}); such a failure later stops new trials too.
 * A budget ({@code budget:}) that refuses a trial also stops the run; the rest are skipped.
 * With an existing journal ({@code --resume}), trials it already holds are not sent again
 * (skipped ones are retried) and its spend counts against the budget. All checks are built
 * before anything is sent, so a bad assertion parameter costs nothing. A suite with cache
 * {@code variants:} is sent by {@link Sequencer} instead (timed sequences, no probe: a bad key
 * costs the first arrival's requests), after writing its {@code variants.json}.
 */
public final class Runner {
    private final Function<Trial, Provider> providers;
    private final PricingTable pricing;
    private final Clock clock;
    private final TrialListener listener;
    private ResponseCache cache;
    private dev.sonde.check.Graders graders = dev.sonde.check.Graders.NONE;
    private dev.sonde.metrics.VirtualClock virtualTime;

    /** One provider for every trial. */
    public Runner(Provider provider, PricingTable pricing, Clock clock, TrialListener listener) {
        this(t -> provider, pricing, clock, listener);
    }

    /** A provider per trial (per model: its endpoint, protocol and key). */
    public Runner(Function<Trial, Provider> providers, PricingTable pricing, Clock clock, TrialListener listener) {
        this.providers = providers;
        this.pricing = pricing;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Replays answers stored under {@code dir} for identical requests, and stores new successful
     * ones there ({@code --cache}). A replayed trial is checked as usual but marked {@code replayed}:
     * its latency, tokens and cost are not measurements of this run.
     */
    public Runner withResponseCache(Path dir) {
        this.cache = new ResponseCache(dir);
        return this;
    }

    /**
     * Gives graded checks ({@code llm-rubric}) their graders. Grader usage and cost are journaled on
     * each trial apart from its own, and the cost counts toward {@code budget.max_usd} once paid
     * (grading calls are not reserved in advance).
     */
    public Runner withGraders(dev.sonde.check.Graders graders) {
        this.graders = graders;
        return this;
    }

    /**
     * Offline cache-variant runs: the sequencer skips inter-arrival gaps and cool-downs on this
     * clock (shared with the emulator) instead of sleeping ({@link Sequencer}), and so does retry
     * backoff ({@link VirtualWaits}).
     */
    public Runner withVirtualTime(dev.sonde.metrics.VirtualClock clock) {
        this.virtualTime = clock;
        return this;
    }

    /**
     * @param meta run metadata without the finish fields (filled in here)
     * @param outDir where {@code trials.jsonl} goes; an existing journal there is resumed
     */
    public RunResult run(Suite suite, List<Trial> trials, int concurrency, RunInfo meta, Path outDir)
            throws SuiteException, IOException, InterruptedException, RunAborted {
        Map<String, CheckSet> checks = checks(suite, graders);
        long startNanos = clock.nanoTime();
        Path journalPath = outDir.resolve("trials.jsonl");
        RunSummary summary = new RunSummary();
        Set<String> done = new HashSet<>();
        double[] spent = {resume(journalPath, summary, done)};
        List<Trial> todo = trials.stream().filter(t -> !done.contains(t.id())).toList();
        Budget budget = new Budget(suite.budget(), clock, startNanos, spent[0], done.size());
        AtomicReference<String> stop = new AtomicReference<>();
        AtomicInteger counted = new AtomicInteger(done.size());
        AtomicInteger skipped = new AtomicInteger();
        AdaptiveLimit slots = new AdaptiveLimit(concurrency);
        try (Journal journal = Journal.open(journalPath)) {
            Worker worker = new Worker(suite, checks, journal, summary, budget, stop, counted, skipped, trials.size(),
                    slots);
            if (!suite.variants().isEmpty()) {
                SequenceManifest manifest = SequenceManifest.of(suite, virtualTime != null);
                manifest.write(outDir);
                new Sequencer(clock, virtualTime, manifest).withPrimer(Primer.of(suite, providers))
                        .run(todo, worker::execute, worker::skip, stop);
            } else {
                if (!todo.isEmpty()) {
                    worker.execute(todo.get(0), 0);
                }
                if (todo.size() > 1) {
                    runRest(todo.subList(1, todo.size()), slots, worker, stop);
                }
            }
        }
        Instant finished = clock.now();
        double wallMs = TimingsMillis.millis(clock.nanoTime() - startNanos);
        RunInfo info = new RunInfo(meta.suite(), meta.suiteFile(), meta.runId(), meta.endpoint(), meta.live(),
                meta.startedAt(), finished, wallMs, trials.size(), concurrency, meta.models(), pricing.version(),
                meta.sondeVersion(), meta.javaVersion(), meta.emulatorSeed(), meta.gitCommit());
        RunResult result = new RunResult(info, summary.snapshot(), journalPath, outDir, skipped.get(), stop.get(),
                new RunResult.LoadControl(Math.max(1, concurrency), slots.lowest(), slots.throttles()));
        if (stop.get() != null) {
            throw new RunAborted(stop.get(), result);
        }
        return result;
    }

    /**
     * Runs the plan through Message Batches instead of one request per trial: every trial the
     * budget admits (its worst case reserved at the batch price) is submitted in batches of at most
     * {@link dev.sonde.api.BatchClient#MAX_REQUESTS}, polled until ended, then checked, priced at the
     * batch tier and journaled like any trial (one attempt, no latency). Resume works as for
     * {@link #run}: journaled trials are not submitted again.
     */
    public RunResult runBatch(Suite suite, List<Trial> trials, RunInfo meta, Path outDir,
            dev.sonde.api.BatchClient batches) throws SuiteException, IOException, InterruptedException, RunAborted {
        Map<String, CheckSet> checks = checks(suite, graders);
        long startNanos = clock.nanoTime();
        Path journalPath = outDir.resolve("trials.jsonl");
        RunSummary summary = new RunSummary();
        Set<String> done = new HashSet<>();
        double[] spent = {resume(journalPath, summary, done)};
        Budget budget = new Budget(suite.budget(), clock, startNanos, spent[0], done.size());
        AtomicReference<String> stop = new AtomicReference<>();
        AtomicInteger counted = new AtomicInteger(done.size());
        AtomicInteger skipped = new AtomicInteger();
        AdaptiveLimit slots = new AdaptiveLimit(1);
        try (Journal journal = Journal.open(journalPath)) {
            Worker worker = new Worker(suite, checks, journal, summary, budget, stop, counted, skipped, trials.size(),
                    slots);
            List<Trial> todo = trials.stream().filter(t -> !done.contains(t.id())).toList();
            for (int from = 0; from < todo.size(); from += dev.sonde.api.BatchClient.MAX_REQUESTS) {
                List<Trial> chunk = todo.subList(from, Math.min(todo.size(), from + dev.sonde.api.BatchClient.MAX_REQUESTS));
                Map<String, Trial> byCustomId = new java.util.LinkedHashMap<>();
                Map<String, Double> worst = new HashMap<>();
                Map<String, com.fasterxml.jackson.databind.node.ObjectNode> bodies = new java.util.LinkedHashMap<>();
                for (Trial t : chunk) {
                    String refusal = stop.get() != null ? stop.get() : budget.admitTrial();
                    Double w = WorstCase.usd(pricing, t);
                    Double half = w == null ? null : w * 0.5;
                    if (refusal == null) {
                        refusal = budget.reserve(half, t.model().model());
                    }
                    if (refusal != null) {
                        stop.compareAndSet(null, refusal);
                        worker.skip(t, refusal);
                        continue;
                    }
                    String id = "t" + (byCustomId.size() + from);
                    byCustomId.put(id, t);
                    worst.put(id, half);
                    bodies.put(id, t.body());
                }
                if (bodies.isEmpty()) {
                    continue;
                }
                Instant submitted = clock.now();
                Map<String, Exchange> results = batches.run(bodies, status -> listener.note("batch " + status.id() + ": "
                        + status.processingStatus() + " " + status.requestCounts()));
                for (Map.Entry<String, Trial> e : byCustomId.entrySet()) {
                    Trial t = e.getValue();
                    Exchange ex = results.getOrDefault(e.getKey(), new Exchange(0, null, t.model().model(), List.of(),
                            null, null, dev.sonde.metrics.Usage.NONE, dev.sonde.metrics.Timings.NONE,
                            new ApiFailure(dev.sonde.api.ErrorClass.PROTOCOL, 0, null, "the batch returned no result")));
                    Optional<Cost> cost = pricing.cost(t.model().model(), ex.usage(), true);
                    budget.settle(worst.get(e.getKey()), cost.map(Cost::totalUsd).orElse(0.0));
                    AttemptRecord attempt = new AttemptRecord(1, ex.status(),
                            ex.failure() == null ? null : ex.failure().errorClass().wireName(),
                            ex.failure() == null ? null : ex.failure().type(), ex.requestId(), 0, null);
                    worker.record(t, new Retrier.Outcome(ex, List.of(attempt), 0), submitted, 0, 0,
                            pricing.priceOf(t.model().model()).isPresent() ? Optional.of(cost.orElse(Cost.ZERO))
                                    : Optional.empty(), "message batches", false, List.of());
                }
            }
        }
        double wallMs = TimingsMillis.millis(clock.nanoTime() - startNanos);
        RunInfo info = new RunInfo(meta.suite(), meta.suiteFile(), meta.runId(), meta.endpoint(), meta.live(),
                meta.startedAt(), clock.now(), wallMs, trials.size(), 0, meta.models(), pricing.version(),
                meta.sondeVersion(), meta.javaVersion(), meta.emulatorSeed(), meta.gitCommit());
        RunResult result = new RunResult(info, summary.snapshot(), journalPath, outDir, skipped.get(), stop.get(),
                new RunResult.LoadControl(0, 0, 0));
        if (stop.get() != null) {
            throw new RunAborted(stop.get(), result);
        }
        return result;
    }

    /** Every case's checks, built before anything is sent (a bad parameter costs nothing). */
    private static Map<String, CheckSet> checks(Suite suite, dev.sonde.check.Graders graders) throws SuiteException {
        Map<String, CheckSet> checks = new HashMap<>();
        for (CaseSpec c : suite.cases()) {
            checks.put(c.id(), CheckSet.create(c.asserts(), c.threshold(), graders));
        }
        return checks;
    }

    /**
     * Reads an existing journal back ({@code --resume}): its results go into {@code summary}, their
     * ids into {@code done}; returns what they cost. Skipped trials are run again.
     */
    private static double resume(Path journalPath, RunSummary summary, Set<String> done) throws IOException {
        double[] spent = {0};
        if (Files.exists(journalPath)) {
            try (Stream<TrialResult> previous = Journal.read(journalPath)) {
                previous.filter(t -> t.skipped() == null).forEach(t -> {
                    done.add(t.trialId());
                    spent[0] += t.costUsd() == null ? 0 : t.costUsd();
                    spent[0] += t.graderCostUsd() == null ? 0 : t.graderCostUsd();
                    t.addTo(summary);
                });
            }
        }
        return spent[0];
    }

    private void runRest(List<Trial> rest, AdaptiveLimit slots, Worker worker, AtomicReference<String> stop)
            throws InterruptedException, IOException {
        AtomicReference<Throwable> crash = new AtomicReference<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Trial t : rest) {
                long waitFrom = clock.nanoTime();
                slots.acquire();
                long queued = clock.nanoTime() - waitFrom;
                if (stop.get() != null || crash.get() != null) {
                    slots.release();
                    worker.skip(t, stop.get() != null ? stop.get() : "run stopped by an internal error");
                    continue;
                }
                pool.submit(() -> {
                    try {
                        worker.execute(t, queued);
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
            throw io;
        }
        if (e != null) {
            throw new IllegalStateException("a trial crashed the run: " + e, e);
        }
    }

    /** Sends, retries, checks, prices and records one trial. */
    private final class Worker {
        private final Suite suite;
        private final Map<String, CheckSet> checks;
        private final Journal journal;
        private final RunSummary summary;
        private final Budget budget;
        private final AtomicReference<String> stop;
        private final AtomicInteger counted;
        private final AtomicInteger skipped;
        private final int total;
        private final Retrier retrier;
        private final Timeouts timeouts;
        private final AdaptiveLimit slots;
        private final RateLimiter endpointLimits;
        private final Map<String, RateLimiter> modelLimits = new HashMap<>();

        Worker(Suite suite, Map<String, CheckSet> checks, Journal journal, RunSummary summary, Budget budget,
                AtomicReference<String> stop, AtomicInteger counted, AtomicInteger skipped, int total,
                AdaptiveLimit slots) {
            this.slots = slots;
            this.endpointLimits = new RateLimiter(suite.rateLimits(), clock);
            suite.models().forEach(m -> modelLimits.put(m.id(), new RateLimiter(m.rateLimits(), clock)));
            this.suite = suite;
            this.checks = checks;
            this.journal = journal;
            this.summary = summary;
            this.budget = budget;
            this.stop = stop;
            this.counted = counted;
            this.skipped = skipped;
            this.total = total;
            this.retrier = new Retrier(suite.run().retry(), virtualTime != null ? new VirtualWaits(virtualTime) : clock,
                    () -> ThreadLocalRandom.current().nextDouble()); // offline variants: backoff skips like the gaps
            this.timeouts = new Timeouts(suite.run().timeout(), suite.run().firstTokenTimeout(), suite.run().idleTimeout());
        }

        void skip(Trial trial, String reason) throws IOException {
            TrialResult r = TrialResult.skipped(trial.id(), trial.caseSpec().id(), trial.model().id(),
                    trial.model().model(), trial.repeat(), clock.now(), reason);
            journal.append(r);
            skipped.incrementAndGet();
            listener.finished(r, counted.incrementAndGet(), total);
        }

        void execute(Trial trial, long queuedNanos) throws InterruptedException, IOException {
            String refusal = budget.admitTrial();
            if (refusal != null) {
                stop.compareAndSet(null, refusal);
                skip(trial, refusal);
                return;
            }
            Instant startedAt = clock.now();
            Provider provider = providers.apply(trial);
            String cacheKey = cache == null ? null : cache.key(provider.endpoint(), trial);
            if (cacheKey != null) {
                Optional<Exchange> hit = cache.get(cacheKey);
                if (hit.isPresent()) {
                    record(trial, new Retrier.Outcome(hit.get(), List.of(), 0), startedAt, queuedNanos, 0,
                            pricing.cost(trial.model().model(), hit.get().usage(), false), provider.endpoint(), true,
                            List.of());
                    return;
                }
            }
            Cost[] spentOnTrial = {Cost.ZERO};
            long[] limitWait = {0};
            String[] refused = {null};
            List<TurnRecord> turns = new ArrayList<>();
            Retrier.Outcome outcome = turn(trial, trial.body(), provider, spentOnTrial, limitWait, refused, turns);
            dev.sonde.suite.ToolLoopSpec loop = trial.caseSpec().toolLoop();
            if (loop != null && outcome.last() != null) {
                outcome = ToolLoop.continueUntilDone(trial, loop, outcome,
                        body -> turn(trial, body, provider, spentOnTrial, limitWait, refused, turns));
            }
            if (outcome.last() == null) {
                stop.compareAndSet(null, refused[0]);
                skip(trial, refused[0]);
                return;
            }
            if (cacheKey != null) {
                cache.put(cacheKey, outcome.last());
            }
            boolean priced = pricing.priceOf(trial.model().model()).isPresent();
            record(trial, outcome, startedAt, queuedNanos, limitWait[0],
                    priced ? Optional.of(spentOnTrial[0]) : Optional.empty(), provider.endpoint(), false,
                    loop == null ? List.of() : turns);
        }

        /**
         * One request of a trial (all its attempts), under the rate limits and the budget; its cost is
         * added to {@code spentOnTrial} and, when it got an answer, a {@link TurnRecord} to {@code turns}.
         */
        private Retrier.Outcome turn(Trial trial, com.fasterxml.jackson.databind.node.ObjectNode body, Provider provider,
                Cost[] spentOnTrial, long[] limitWait, String[] refused, List<TurnRecord> turns)
                throws InterruptedException {
            Cost[] thisTurn = {Cost.ZERO};
            MessageRequest request = new MessageRequest(body, trial.headers(), timeouts);
            Double worst = WorstCase.usd(pricing, trial.model().model(), body);
            long inputEstimate = body.toString().length() / 4;
            long outputEstimate = body.path("max_tokens").asLong(0);
            RateLimiter modelLimit = modelLimits.get(trial.model().id());
            Retrier.Outcome o = retrier.run(attempt -> {
                limitWait[0] += endpointLimits.acquire(inputEstimate, outputEstimate);
                limitWait[0] += modelLimit.acquire(inputEstimate, outputEstimate);
                String no = budget.reserve(worst, trial.model().model());
                if (no != null) {
                    refused[0] = no;
                    return null;
                }
                Exchange ex = provider.send(request);
                Optional<Cost> cost = pricing.cost(trial.model().model(), ex.usage(), false);
                cost.ifPresent(c -> thisTurn[0] = thisTurn[0].plus(c));
                budget.settle(worst, cost.map(Cost::totalUsd).orElse(0.0));
                for (RateLimiter l : new RateLimiter[] {endpointLimits, modelLimit}) {
                    l.settle(inputEstimate, outputEstimate, ex.usage());
                    l.observe(ex.status(), ex.hints());
                }
                if (ex.status() == 429) {
                    int lowered = slots.throttled();
                    if (lowered > 0) {
                        listener.note("rate limited (429): concurrency lowered to " + lowered);
                    }
                } else if (ex.ok()) {
                    slots.succeeded();
                }
                return ex;
            });
            spentOnTrial[0] = spentOnTrial[0].plus(thisTurn[0]);
            if (o.last() != null) {
                turns.add(TurnRecord.of(turns.size() + 1, o, pricing.priceOf(trial.model().model()).isPresent()
                        ? Optional.of(thisTurn[0]) : Optional.empty()));
            }
            return o;
        }

        /** @param cost every attempt's cost summed, empty when the model is unpriced */
        private void record(Trial trial, Retrier.Outcome outcome, Instant startedAt, long queuedNanos,
                long limitWaitNanos, Optional<Cost> cost, String endpoint, boolean replayed, List<TurnRecord> turns)
                throws IOException {
            Exchange ex = outcome.last();
            ApiFailure failure = ex.failure();
            if (failure != null && failure.errorClass().stopsRun()) {
                stop.compareAndSet(null, endpoint + ": " + failure.describe());
            }
            Double costUsd = cost.map(Cost::totalUsd).orElse(null);
            List<CheckResult> results = new ArrayList<>();
            boolean pass = ex.ok();
            dev.sonde.check.GraderUsage graderUsage = null;
            Double graderCost = null;
            if (ex.ok()) {
                CheckSet.Evaluation e = checks.get(trial.caseSpec().id()).evaluate(ex, costUsd);
                results.addAll(e.results());
                pass = e.pass();
                graderUsage = e.graderUsage();
                graderCost = e.graderCostUsd();
                if (graderCost != null) {
                    budget.settle(null, graderCost);
                }
            }
            TrialResult result = new TrialResult(trial.id(), trial.caseSpec().id(), trial.model().id(),
                    trial.model().model(), trial.repeat(), pass, TrialError.of(failure), ex.requestId(),
                    ex.stopReason(), ex.text(), toolCalls(ex), TimingsMillis.of(ex.timings(), ex.usage().outputTokens()),
                    ex.usage().raw(), costUsd, cost.isEmpty(), cost.map(Cost::cacheSavingsUsd).orElse(null),
                    List.copyOf(results), Math.max(1, outcome.attempts().size()), startedAt, null, outcome.attempts(),
                    TimingsMillis.millis(queuedNanos), TimingsMillis.millis(outcome.backoffNanos()),
                    TimingsMillis.millis(limitWaitNanos), replayed, turns, graderUsage, graderCost);
            if (replayed) {
                // checked on the recorded cost above; nothing was paid or timed in this run
                result = new TrialResult(result.trialId(), result.caseId(), result.model(), result.modelId(), result.repeat(),
                        result.pass(), result.error(), result.requestId(), result.stopReason(), result.outputText(),
                        result.toolCalls(), null, result.usage(), cost.isPresent() ? 0.0 : null, cost.isEmpty(), null,
                        result.checks(), 0, startedAt, null, List.of(), result.queueMs(), 0, 0, true, List.of(), graderUsage,
                        graderCost);
            }
            journal.append(result);
            if (replayed) {
                result.addTo(summary);
            } else {
                summary.add(trial.model().id(), pass, failure == null ? null : failure.errorClass().wireName(),
                        ex.timings(), ex.usage(), cost);
            }
            listener.finished(result, counted.incrementAndGet(), total);
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
