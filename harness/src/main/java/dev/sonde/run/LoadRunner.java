package dev.sonde.run;

import dev.sonde.metrics.Cost;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.Fmt;

import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.PricingTable;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.api.Timeouts;
import dev.sonde.journal.Journal;
import dev.sonde.metrics.Clock;
import dev.sonde.suite.LoadSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs a suite as a latency benchmark under its {@link LoadSpec}: one step per concurrency
 * (closed loop) or per arrival rate (open loop), each bounded by its duration and request cap,
 * requests cycling through the planned trials. Each request is one attempt — no retries, so an
 * error is counted, never hidden — and is timed by the provider on the clock.
 *
 * <p>Open loop: request {@code i} has an intended start ({@code i/rate} after the step began, or
 * cumulative exponential gaps for Poisson arrivals, from the suite's seed); response time runs from
 * that intended start, so when the client falls behind (its in-flight limit) or anything delays a
 * send, the delay shows (no coordinated omission). Requests whose intended start falls in the
 * warm-up are sent but not measured. Every request is journaled as it finishes ({@code trials.jsonl},
 * with its {@link LoadRecord}: step, intended start, send, completion), and the steps in
 * {@code results.json} ({@code kind: benchmark}) are read back from that journal, so a benchmark's
 * figures come from its saved run like an eval's; the saturation point of a
 * sweep is the first step that no longer delivers what it was offered (open: achieved rate below
 * 90 % of the offered rate; closed: less than 10 % more throughput than the step before).
 */
public final class LoadRunner {
    private final Function<Trial, Provider> providers;
    private final Clock clock;
    private final TrialListener listener;
    private final PricingTable pricing;
    private Journal journal;
    private RunStop outside = new RunStop();
    private final InFlight sending = new InFlight();

    /** A runner that prices requests with the built-in table ({@link PricingTable#defaults()}). */
    public LoadRunner(Function<Trial, Provider> providers, Clock clock, TrialListener listener) {
        this(providers, clock, listener, PricingTable.defaults());
    }

    /** @param pricing prices each request's usage for its journal record */
    public LoadRunner(Function<Trial, Provider> providers, Clock clock, TrialListener listener, PricingTable pricing) {
        this.providers = providers;
        this.clock = clock;
        this.listener = listener;
        this.pricing = pricing;
    }

    /**
     * Lets {@code stop} end the benchmark from outside (Ctrl-C, SIGTERM): no request is sent after
     * it, the requests in flight are cancelled (not journaled: they have no response to measure),
     * the steps not begun are not run, and {@link #run} returns with what was journaled.
     */
    public LoadRunner withStop(RunStop stop) {
        this.outside = stop;
        return this;
    }

    /** The steps, the index of the saturation step (null when none), and where they were written. */
    public record LoadResult(List<StepResult> steps, Integer saturationStep, Path file) {}

    /**
     * Runs every step, journaling each request to {@code trials.jsonl} in {@code outDir} as it
     * finishes (with its {@link LoadRecord}). The figures come from the saved run, like an eval's:
     * the run's analysis rebuilds the steps from the journal ({@link #steps}) and the report room
     * writes them.
     */
    public void run(Suite suite, List<Trial> trials, Path outDir) throws IOException, InterruptedException {
        LoadSpec spec = suite.load();
        Timeouts timeouts = Timeouts.of(suite.run());
        try (Journal j = Journal.open(outDir.resolve("trials.jsonl"));
                RunStop.Attached stopping = outside.onRequest(reason -> sending.cancel())) {
            journal = j;
            for (int i = 0; i < spec.steps() && !sending.cancelled(); i++) {
                StepResult step = spec.open()
                        ? open(i, spec, spec.ratesPerSecond().get(i), trials, timeouts)
                        : closed(i, spec, spec.concurrencies().get(i), trials, timeouts);
                listener.note(describe(step));
            }
        } finally {
            journal = null;
        }
    }

    /**
     * Rebuilds one step per index from journaled benchmark requests (a {@link TrialResult} with a
     * {@code load} record), exactly as the step recorded them live: feed it every trial, then
     * {@link StepFold#steps()}.
     */
    public static StepFold steps(LoadSpec spec) {
        return new StepFold(spec);
    }

    /** A benchmark's steps learnt from its journal, one request at a time. Not thread-safe. */
    public static final class StepFold implements java.util.function.Consumer<TrialResult> {
        private final LoadSpec spec;
        private final java.util.TreeMap<Integer, StepRecorder> recorders = new java.util.TreeMap<>();
        private final java.util.TreeMap<Integer, Long> sent = new java.util.TreeMap<>();

        private StepFold(LoadSpec spec) {
            this.spec = spec;
            for (int i = 0; i < spec.steps(); i++) {
                recorders.put(i, new StepRecorder(spec.slo()));
                sent.put(i, 0L);
            }
        }

        /** Records {@code t} in its step; a trial without a {@code load} record, or of another step, is ignored. */
        @Override
        public void accept(TrialResult t) {
            LoadRecord load = t.load();
            if (load == null || !recorders.containsKey(load.step())) {
                return;
            }
            recorders.get(load.step()).record(t);
            sent.merge(load.step(), 1L, Long::sum);
        }

        /** Every step of the spec, in order (a step that sent nothing reports zeros). */
        public List<StepResult> steps() {
            double window = (spec.duration().toNanos() - spec.warmup().toNanos()) / 1e9;
            List<StepResult> out = new ArrayList<>();
            for (Map.Entry<Integer, StepRecorder> e : recorders.entrySet()) {
                int i = e.getKey();
                out.add(e.getValue().result(i, spec, spec.open() ? null : spec.concurrencies().get(i),
                        spec.open() ? spec.ratesPerSecond().get(i) : null, sent.get(i), window));
            }
            return out;
        }
    }

    /** Journals one benchmark request (times from the step's start) and returns it. */
    private void journal(Trial t, int step, long n, Exchange ex, long stepStart, long intended, long sendAt, long done,
            boolean measured, boolean inWindow) {
        java.util.Optional<Cost> cost = pricing.cost(t.model().model(), ex.usage(), false);
        TrialResult r = TrialResult.builder(t.id() + "#" + step + "." + n, t.caseId(), t.model().id(),
                t.model().model(), t.repeat()).pass(ex.ok()).error(TrialError.of(ex.failure()))
                .requestId(ex.requestId()).stopReason(ex.stopReason())
                .timings(TimingsMillis.of(ex.timings(), ex.usage().outputTokens()))
                .usage(ex.usage().raw()).costUsd(cost.map(Cost::totalUsd).orElse(null))
                .unpriced(cost.isEmpty()).attempts(1).startedAt(clock.now())
                .load(new LoadRecord(step, ms(intended - stepStart), ms(sendAt - stepStart), ms(done - stepStart),
                        measured, inWindow))
                .build();
        try {
            journal.append(r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double ms(long nanos) {
        return TimingsMillis.millis(nanos);
    }

    private StepResult closed(int index, LoadSpec spec, int workers, List<Trial> trials, Timeouts timeouts)
            throws InterruptedException {
        StepRecorder recorder = new StepRecorder(spec.slo());
        long start = clock.nanoTime();
        long end = start + spec.duration().toNanos();
        long warmupEnd = start + spec.warmup().toNanos();
        AtomicLong issued = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < workers; w++) {
                pool.submit(() -> {
                    while (clock.nanoTime() < end) {
                        long n = issued.getAndIncrement();
                        if (n >= spec.maxRequests() || !sending.enter()) {
                            return null;
                        }
                        Trial t = trials.get((int) (n % trials.size()));
                        long sendAt = clock.nanoTime();
                        Exchange ex;
                        try {
                            ex = providers.apply(t).send(new MessageRequest(t.body(), t.headers(), timeouts));
                        } finally {
                            sending.leave();
                        }
                        long done = clock.nanoTime();
                        boolean measured = sendAt >= warmupEnd;
                        boolean inWindow = done >= warmupEnd && done <= end;
                        recorder.record(ex, done - sendAt, 0, measured, inWindow);
                        journal(t, index, n, ex, start, sendAt, sendAt, done, measured, inWindow);
                    }
                    return null;
                });
            }
        }
        double window = (end - warmupEnd) / 1e9;
        return recorder.result(index, spec, workers, null, Math.min(issued.get(), spec.maxRequests()), window);
    }

    private StepResult open(int index, LoadSpec spec, double rate, List<Trial> trials, Timeouts timeouts)
            throws InterruptedException {
        StepRecorder recorder = new StepRecorder(spec.slo());
        SplittableRandom random = new SplittableRandom(spec.seed() + index);
        Semaphore inFlight = new Semaphore(spec.maxInFlight());
        long start = clock.nanoTime();
        long end = start + spec.duration().toNanos();
        long warmupEnd = start + spec.warmup().toNanos();
        double gapNanos = 1e9 / rate;
        long sent = 0;
        double offset = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long n = 0; n < spec.maxRequests(); n++) {
                long intended = start + (long) offset;
                if (intended >= end) {
                    break;
                }
                offset += spec.poisson() ? -Math.log(1 - random.nextDouble()) * gapNanos : gapNanos;
                long wait = intended - clock.nanoTime();
                if (wait > 0) {
                    RunStop.sleep(clock, wait, sending::cancelled);
                }
                if (sending.cancelled()) {
                    break;
                }
                inFlight.acquire();
                Trial t = trials.get((int) (n % trials.size()));
                boolean measured = intended >= warmupEnd;
                sent++;
                long request = n;
                pool.submit(() -> {
                    try {
                        if (!sending.enter()) {
                            return null;
                        }
                        long sendAt = clock.nanoTime();
                        Exchange ex;
                        try {
                            ex = providers.apply(t).send(new MessageRequest(t.body(), t.headers(), timeouts));
                        } finally {
                            sending.leave();
                        }
                        long done = clock.nanoTime();
                        boolean inWindow = done >= warmupEnd && done <= end;
                        recorder.record(ex, done - intended, sendAt - intended, measured, inWindow);
                        journal(t, index, request, ex, start, intended, sendAt, done, measured, inWindow);
                    } finally {
                        inFlight.release();
                    }
                    return null;
                });
            }
        }
        double window = (end - warmupEnd) / 1e9;
        return recorder.result(index, spec, null, rate, sent, window);
    }

    /**
     * The index of the first step that no longer delivers what it was offered (open loop: achieved rate
     * below 90 % of the offered rate; closed: less than 10 % more throughput than the step before), or
     * null when every step kept up.
     */
    public static Integer saturation(List<StepResult> steps) {
        for (int i = 0; i < steps.size(); i++) {
            StepResult s = steps.get(i);
            if (s.offeredRatePerS() != null) {
                if (s.requestRatePerS() < 0.9 * s.offeredRatePerS()) {
                    return i;
                }
            } else if (i > 0 && s.requestRatePerS() < 1.1 * steps.get(i - 1).requestRatePerS()) {
                return i;
            }
        }
        return null;
    }

    /** One line for people: the step's load, throughput, TTFT and response-time tails, errors. */
    public static String describe(StepResult s) {
        String load = s.concurrency() != null ? "concurrency " + s.concurrency()
                : String.format(java.util.Locale.ROOT, "offered %.1f/s", s.offeredRatePerS());
        return String.format(java.util.Locale.ROOT,
                "step %d (%s): %.1f req/s, %.0f tok/s, ttft p50 %s p99 %s, response p99 %s, errors %.1f%%",
                s.step(), load, s.requestRatePerS(), s.outputTokenRatePerS(), Fmt.ms(s.ttftMs().p50()), Fmt.ms(s.ttftMs().p99()),
                Fmt.ms(s.responseMs().p99()), s.errorRate() * 100);
    }
}
