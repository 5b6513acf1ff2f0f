package dev.sonde.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.api.Timeouts;
import dev.sonde.check.CheckResult;
import dev.sonde.check.CheckSet;
import dev.sonde.check.GraderUsage;
import dev.sonde.emulator.Recording;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.journal.TurnRecord;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Cost;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.suite.Suite;
import dev.sonde.suite.ToolLoopSpec;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Sends, retries, checks, prices and records one trial at a time (thread-safe: one worker serves a
 * run's concurrent trials). Every trial it is given ends with exactly one journal line — a result,
 * or {@code skipped} with the reason — appended to the journal and counted before
 * {@link TrialListener#finished} hears of it. A budget refusal (of a trial, a retry or a tool loop's
 * next turn) and a failure that makes further requests pointless (a rejected key, {@link
 * dev.sonde.api.ErrorClass#stopsRun}; nothing listening at an endpoint that has not answered yet,
 * {@link Reachability}) set the run's stop reason. A stop from outside ({@link #cancel})
 * interrupts the trials that are sending (never one that is checking or journaling what arrived),
 * and each is journaled as skipped.
 */
final class TrialWorker {
    private final RunContext run;
    private final Journal journal;
    private final AdaptiveLimit slots;
    private final Function<Trial, Provider> providers;
    private final PricingTable pricing;
    private final Clock clock;
    private final TrialListener listener;
    private final ResponseCache cache;
    private final Retrier retrier;
    private final Timeouts timeouts;
    private final RateLimiter endpointLimits;
    private final Map<String, RateLimiter> modelLimits = new HashMap<>();
    private final Reachability reachability = new Reachability();
    private final InFlight sending = new InFlight();

    /**
     * @param cache answers to replay and store, or null without {@code --cache}
     * @param backoff what retry backoff waits on: {@code clock}, or offline in a variants suite the
     *     virtual clock's {@link VirtualWaits}, so backoff is skipped like the inter-arrival gaps
     */
    TrialWorker(RunContext run, Journal journal, AdaptiveLimit slots, Function<Trial, Provider> providers,
            PricingTable pricing, Clock clock, TrialListener listener, ResponseCache cache, Clock backoff) {
        Suite suite = run.suite();
        this.run = run;
        this.journal = journal;
        this.slots = slots;
        this.providers = providers;
        this.pricing = pricing;
        this.clock = clock;
        this.listener = listener;
        this.cache = cache;
        java.time.Duration maxPause = suite.run().retry().maxRetryAfter();
        this.endpointLimits = new RateLimiter(suite.rateLimits(), clock, maxPause);
        suite.models().forEach(m -> modelLimits.put(m.id(), new RateLimiter(m.rateLimits(), clock, maxPause)));
        this.retrier = new Retrier(suite.run().retry(), backoff, () -> ThreadLocalRandom.current().nextDouble());
        this.timeouts = Timeouts.of(suite.run());
    }

    void skip(Trial trial, String reason) throws IOException {
        TrialResult r = TrialResult.builder(trial.id(), trial.caseId(), trial.model().id(),
                trial.model().model(), trial.repeat()).startedAt(clock.now()).skipped(reason)
                .sequence(trial.variant(), trial.repeat()).build();
        journal.append(r);
        run.skipped().incrementAndGet();
        listener.finished(r, run.counted().incrementAndGet(), run.total());
    }

    /**
     * A stop from outside the run ({@link RunStop}): the run's stop reason is set (unless something
     * stopped it already), no trial is sent from now on, and the trials sending now are cancelled:
     * each is journaled as {@code skipped}, to be sent again by {@code --resume}.
     */
    void cancel(String reason) {
        run.stop().compareAndSet(null, reason);
        sending.cancel();
    }

    /** Whether the run was stopped from outside ({@link #cancel}). */
    boolean cancelled() {
        return sending.cancelled();
    }

    /**
     * Sends, checks and journals {@code trial}; a trial cancelled while it was sending ({@link #cancel})
     * is journaled as skipped with the run's stop reason.
     *
     * @param queuedNanos how long the trial waited for a concurrency slot
     */
    void execute(Trial trial, long queuedNanos) throws InterruptedException, IOException {
        try {
            send(trial, queuedNanos);
        } catch (InterruptedException e) {
            if (!sending.cancelled()) {
                throw e;
            }
            sending.leave();
            skip(trial, run.stop().get());
        } finally {
            sending.leave();
        }
    }

    private void send(Trial trial, long queuedNanos) throws InterruptedException, IOException {
        if (run.budget().admitTrial() instanceof Budget.Refused no) {
            run.stop().compareAndSet(null, no.message());
            skip(trial, no.message());
            return;
        }
        Instant startedAt = clock.now();
        Provider chosen = providers.apply(trial);
        Map<String, String> headers = chosen instanceof RepeatAware ? withRepeat(trial) : trial.headers();
        Provider provider = reachability.watching(chosen);
        String cacheKey = cache == null ? null : cache.key(provider.endpoint(), trial);
        if (cacheKey != null) {
            Optional<Exchange> hit = cache.get(cacheKey);
            if (hit.isPresent()) {
                record(trial, new Retrier.Attempts(hit.get(), List.of(), 0), startedAt, queuedNanos, 0,
                        pricing.cost(trial.model().priceKey(), hit.get().usage(), false), provider.endpoint(), true,
                        List.of());
                return;
            }
        }
        if (!sending.enter()) { // stopped from outside while it waited for its turn
            skip(trial, run.stop().get());
            return;
        }
        Cost[] spentOnTrial = {Cost.ZERO};
        long[] limitWait = {0};
        AtomicReference<Budget.Refused> refused = new AtomicReference<>(); // the budget's refusal, once one came
        ToolLoopSpec loop = trial.caseSpec().toolLoop();
        List<TurnRecord> turns = loop == null ? null : new ArrayList<>(); // a one-request trial keeps no turns
        Retrier.Attempts outcome = turn(trial, trial.body(), headers, provider, spentOnTrial, limitWait, refused, turns);
        if (loop != null && outcome.last() != null) {
            outcome = ToolLoop.continueUntilDone(trial, loop, outcome,
                    body -> turn(trial, body, headers, provider, spentOnTrial, limitWait, refused, turns), refused::get);
        }
        sending.leave(); // every response is in: what follows records it, uncancelled
        if (refused.get() != null && refused.get().stopsRun()) { // a refused first request, retry or next turn alike
            run.stop().compareAndSet(null, refused.get().message());
        }
        if (outcome.last() == null) {
            skip(trial, refused.get() == null ? null : refused.get().message());
            return;
        }
        if (cacheKey != null) {
            cache.put(cacheKey, outcome.last(), filler(outcome.last(), loop == null ? List.of() : turns));
        }
        boolean priced = pricing.priceOf(trial.model().priceKey()).isPresent();
        record(trial, outcome, startedAt, queuedNanos, limitWait[0],
                priced ? Optional.of(spentOnTrial[0]) : Optional.empty(), provider.endpoint(), false,
                loop == null ? List.of() : turns);
    }

    /**
     * One request of a trial (all its attempts), under the rate limits and the budget; its cost is
     * added to {@code spentOnTrial} and, when it got an answer, a {@link TurnRecord} to {@code turns}
     * (null for a trial of one request, which records none).
     */
    private Retrier.Attempts turn(Trial trial, ObjectNode body, Map<String, String> headers, Provider provider,
            Cost[] spentOnTrial, long[] limitWait, AtomicReference<Budget.Refused> refused, List<TurnRecord> turns)
            throws InterruptedException {
        Cost[] thisTurn = {Cost.ZERO};
        MessageRequest request = new MessageRequest(body, headers, timeouts);
        String json = WorstCase.json(body);
        Budget budget = run.budget();
        Double worst = null;
        if (budget.capped()) {
            Object bound = worstCase(trial, body, json, provider);
            if (bound instanceof Budget.Refused no) {
                refused.set(no);
                return new Retrier.Attempts(null, List.of(), 0);
            }
            worst = (Double) bound;
        }
        Double reserve = worst;
        long inputEstimate = json.length() / 4;
        long outputEstimate = body.path("max_tokens").asLong(0);
        RateLimiter modelLimit = modelLimits.get(trial.model().id());
        Retrier.Attempts o = retrier.run(attempt -> {
            limitWait[0] += endpointLimits.acquire(inputEstimate, outputEstimate);
            limitWait[0] += modelLimit.acquire(inputEstimate, outputEstimate);
            Budget.Answer reservation = budget.reserve(reserve, trial.model().model(), trial.id());
            if (reservation instanceof Budget.Refused no) {
                refused.set(no);
                return null;
            }
            Exchange ex;
            try {
                ex = provider.send(request);
            } catch (InterruptedException | RuntimeException e) {
                budget.settle(reservation, 0, false); // it may have gone out: counted at its worst case
                throw e;
            }
            Optional<Cost> cost = pricing.cost(trial.model().priceKey(), ex.usage(), false);
            cost.ifPresent(c -> thisTurn[0] = thisTurn[0].plus(c));
            budget.settle(reservation, cost.map(Cost::totalUsd).orElse(0.0), answered(ex));
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
        if (turns != null && o.last() != null) {
            turns.add(TurnRecords.of(turns.size() + 1, o, pricing.priceOf(trial.model().priceKey()).isPresent()
                    ? Optional.of(thisTurn[0]) : Optional.empty()));
        }
        return o;
    }

    /** The trial's headers, its model's label and its repeat index, for a {@link RepeatAware} provider. */
    private static Map<String, String> withRepeat(Trial trial) {
        Map<String, String> headers = new HashMap<>(trial.headers());
        headers.putAll(askerHeaders(trial));
        return headers;
    }

    /**
     * What a {@link RepeatAware} provider is told of the trial a request is for: its {@code models[].id}
     * ({@value Recording#MODEL_HEADER}) and repeat ({@value Recording#REPEAT_HEADER}; none for a cache
     * variant's warm-up).
     */
    static Map<String, String> askerHeaders(Trial trial) {
        Map<String, String> headers = new HashMap<>();
        headers.put(Recording.MODEL_HEADER, trial.model().id());
        if (trial.repeat() >= 0) {
            headers.put(Recording.REPEAT_HEADER, Integer.toString(trial.repeat()));
        }
        return headers;
    }

    /**
     * The most one attempt of {@code body} can cost, for a run under {@code max_usd}: sized from its
     * bytes, or — when its input cannot be ({@link WorstCase#unsized}) — from the endpoint's
     * count-tokens call (retried like any request). A {@link Budget.Refused} when nothing bounds it:
     * an unpriced model is refused by the budget itself, as before.
     */
    Object worstCase(Trial trial) throws InterruptedException {
        return worstCase(trial, trial.body(), WorstCase.json(trial.body()), providers.apply(trial));
    }

    private Object worstCase(Trial trial, ObjectNode body, String json, Provider provider) throws InterruptedException {
        WorstCase.Estimate estimate = WorstCase.of(pricing, trial.model().priceKey(), body, json);
        String why = "case " + trial.caseId() + " cannot be bounded under max_usd: ";
        if (estimate.unbounded() != null) {
            return new Budget.Refused(why + estimate.unbounded(), false);
        }
        if (estimate.unsized() == null || estimate.price() == null) {
            return estimate.usd();
        }
        MessageRequest count = new MessageRequest(WorstCase.countBody(body), trial.headers(), timeouts);
        Exchange counted = retrier.run(n -> provider.countTokens(count)).last();
        if (counted == null) {
            return new Budget.Refused(why + "its input holds " + estimate.unsized() + ", which only the count-tokens "
                    + "endpoint can size, and " + provider.endpoint() + " has none", false);
        }
        if (!counted.ok()) {
            return new Budget.Refused(why + "its input holds " + estimate.unsized() + ", and count_tokens failed: "
                    + counted.failure().describe(), false);
        }
        return estimate.usd(counted.usage().inputTokens());
    }

    /**
     * Whether an exchange says what it cost: a complete answer with its usage, an error response
     * (which is not billed), or a connection never made (nothing was sent). A connection closed or timed out after the request went out, a broken
     * stream or usage not to be believed may have been billed all the same.
     */
    static boolean answered(Exchange ex) {
        if (ex.ok()) {
            return !ex.usage().raw().isEmpty(); // a gateway that sends no usage cannot say what it billed
        }
        ErrorClass cls = ex.failure().errorClass();
        if (cls == ErrorClass.UNREACHABLE || cls == ErrorClass.TIMEOUT_CONNECT) {
            return true; // never sent
        }
        return ex.status() >= 400;
    }

    /**
     * Checks, journals, sums and counts a trial that got an exchange.
     *
     * @param cost every attempt's cost summed, empty when the model is unpriced
     * @param replayed answered from the response cache: checked, but nothing was paid or timed
     * @param turns a tool loop's requests, empty otherwise
     */
    void record(Trial trial, Retrier.Attempts outcome, Instant startedAt, long queuedNanos, long limitWaitNanos,
            Optional<Cost> cost, String endpoint, boolean replayed, List<TurnRecord> turns) throws IOException {
        Exchange ex = outcome.last();
        ApiFailure failure = ex.failure();
        if (failure != null && reachability.stopsRun(endpoint, failure)) {
            run.stop().compareAndSet(null, endpoint + ": " + failure.describe());
        }
        Double costUsd = cost.map(Cost::totalUsd).orElse(null);
        List<CheckResult> results = new ArrayList<>();
        boolean pass = ex.ok();
        GraderUsage graderUsage = null;
        Double graderCost = null;
        if (ex.ok()) {
            CheckSet.Evaluation e = ProviderGrader.forTrial(askerHeaders(trial),
                    () -> run.checks().of(trial.caseSpec()).evaluate(ex, costUsd));
            results.addAll(e.results());
            pass = e.pass();
            graderUsage = e.graderUsage();
            graderCost = e.graderCostUsd();
            if (graderCost != null) {
                run.budget().paid(trial.id(), graderCost);
            }
        }
        TrialResult.Builder b = TrialResult.builder(trial.id(), trial.caseId(), trial.model().id(),
                trial.model().model(), trial.repeat()).pass(pass).error(TrialError.of(failure))
                .requestId(ex.requestId()).stopReason(ex.stopReason()).outputText(ex.text()).toolCalls(ToolCalls.of(ex))
                .usage(ex.usage().raw()).unpriced(cost.isEmpty()).checks(List.copyOf(results)).startedAt(startedAt)
                .queueMs(TimingsMillis.millis(queuedNanos)).graderUsage(graderUsage).graderCostUsd(graderCost)
                .untimed(ex.timings().unmeasured()).sequence(trial.variant(), trial.repeat())
                .emulatorFiller(filler(ex, turns));
        if (replayed) {
            // checked on the recorded cost above; nothing was paid or timed in this run
            b.costUsd(cost.isPresent() ? 0.0 : null).replayed(true);
        } else {
            b.timings(TimingsMillis.of(ex.timings(), ex.usage().outputTokens())).costUsd(costUsd)
                    .serverTimings(ex.hints().serverFirstByteMs(), ex.hints().serverLatencyMs())
                    .cacheSavingsUsd(cost.map(Cost::cacheSavingsUsd).orElse(null)).attempts(attempts(outcome, turns))
                    .attemptLog(outcome.attempts()).backoffMs(TimingsMillis.millis(outcome.backoffNanos()))
                    .ratelimitWaitMs(TimingsMillis.millis(limitWaitNanos)).turns(turns);
        }
        TrialResult result = b.build();
        journal.append(result);
        listener.finished(result, run.counted().incrementAndGet(), run.total());
    }

    /** Whether the emulator marked the trial's answer as filler: its last exchange, or any tool-loop turn. */
    private static boolean filler(Exchange last, List<TurnRecord> turns) {
        return last.hints().emulatorFiller() || turns.stream().anyMatch(TurnRecord::filler);
    }

    /**
     * A trial's {@code attempts}: 1 + its retries, over all its requests — a tool loop's turns are
     * not retries (each turn's own HTTP attempts are in its {@link TurnRecord}).
     */
    static int attempts(Retrier.Attempts outcome, List<TurnRecord> turns) {
        return Math.max(1, outcome.attempts().size() - Math.max(0, turns.size() - 1));
    }
}
