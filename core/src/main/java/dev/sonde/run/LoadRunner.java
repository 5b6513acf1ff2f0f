package dev.sonde.run;

import dev.sonde.metrics.Cost;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.Fmt;

import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.PricingTable;
import dev.sonde.api.ErrorClass;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
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
 * warm-up are sent but not measured. The schedule runs on a platform thread of its own that sleeps
 * to just before each intended start and spins the rest ({@link StartTimer}), with each request
 * built beforehand: the wait itself adds tens of microseconds, and what delays a send further is
 * the machine (its other load, the collector's pauses, a virtual thread's wait for a carrier; README
 * "Latency benchmarks", Scale, has the figures at 200 requests/s and ~600 streams). Every request
 * is journaled as it finishes, by a writer thread off the sending threads ({@code trials.jsonl},
 * with its {@link LoadRecord}: step, intended start, send, completion), and the steps in
 * {@code results.json} ({@code kind: benchmark}) are read back from that journal, so a benchmark's
 * figures come from its saved run like an eval's.
 *
 * <p>The first request is a probe, sent alone before the first step (as the first trial of an eval
 * run): when the endpoint rejects the key, refuses permission or credit, or cannot be reached, the
 * benchmark stops there ({@link ProbeRefused}) after one request. The probe is journaled with
 * {@code load.step} −1, in no step. A step whose error rate passes the suite's
 * {@code max_error_rate} is marked failed ({@link StepResult#failed()}).
 *
 * <p>The knee of a sweep is the last step that still delivered what it was offered; saturation is
 * the step after it, the first that did not (open: achieved rate below 90 % of the offered rate;
 * closed: less than 10 % more throughput than the step before). A sweep whose first step already
 * fell short has saturation and no knee; one where every step kept up has neither.
 */
public final class LoadRunner {
    private final Function<Trial, Provider> providers;
    private final Clock clock;
    private final TrialListener listener;
    private final PricingTable pricing;
    private JournalWriter journal;
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
    public record LoadResult(List<StepResult> steps, Integer saturationStep, Path file) {
        /** The index of the knee, the last step that still kept up (null when none did or none fell short). */
        public Integer kneeStep() {
            return knee(saturationStep);
        }

        /** Whether every step held its {@code max_error_rate} (and finished something in its window). */
        public boolean passed() {
            return steps.stream().allMatch(s -> s.failed() == null);
        }
    }

    /** The knee for a saturation step: the step before it, or null (none saturated, or the first did). */
    public static Integer knee(Integer saturationStep) {
        return saturationStep == null || saturationStep == 0 ? null : saturationStep - 1;
    }

    /**
     * The benchmark's probe, its first request, was refused (key, permission, billing) or found
     * nothing listening: nothing else was sent. The message is one line naming the endpoint and the
     * failure, never the key.
     */
    public static final class ProbeRefused extends Exception {
        ProbeRefused(String message) {
            super(message);
        }
    }

    /**
     * Runs every step, journaling each request to {@code trials.jsonl} in {@code outDir} as it
     * finishes (with its {@link LoadRecord}). The figures come from the saved run, like an eval's:
     * the run's analysis rebuilds the steps from the journal ({@link #steps}) and the report room
     * writes them.
     */
    public void run(Suite suite, List<Trial> trials, Path outDir) throws IOException, InterruptedException, ProbeRefused {
        LoadSpec spec = suite.load();
        Timeouts timeouts = Timeouts.of(suite.run());
        try (Journal j = Journal.open(outDir.resolve("trials.jsonl"));
                JournalWriter writer = new JournalWriter(j, JOURNAL_QUEUE);
                RunStop.Attached stopping = outside.onRequest(reason -> sending.cancel())) {
            journal = writer;
            probe(trials.get(0), timeouts);
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
                recorders.put(i, new StepRecorder(spec));
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
                out.add(e.getValue().result(i, spec.open() ? null : spec.concurrencies().get(i),
                        spec.open() ? spec.ratesPerSecond().get(i) : null, sent.get(i), window));
            }
            return out;
        }

        /** Every step's percentile curves, in step order (empty curves for a step without samples). */
        public List<StepDistribution> distributions() {
            return recorders.entrySet().stream().map(e -> e.getValue().distribution(e.getKey())).toList();
        }
    }

    /**
     * Sends the first planned trial alone, journaled in no step (−1); throws when its failure would
     * stop an eval run (a rejected key, permission or billing refused, nothing listening).
     */
    private void probe(Trial t, Timeouts timeouts) throws InterruptedException, ProbeRefused {
        if (!sending.enter()) {
            return;
        }
        Provider provider = providers.apply(t);
        long sendAt = clock.nanoTime();
        Exchange ex;
        try {
            ex = provider.send(new MessageRequest(t.body(), t.headers(), timeouts));
        } finally {
            sending.leave();
        }
        journal(t, PROBE_STEP, 0, ex, sendAt, sendAt, sendAt, clock.nanoTime(), false, false);
        if (ex.ok()) {
            return;
        }
        ErrorClass c = ex.failure().errorClass();
        if (c.stopsRun() || c == ErrorClass.UNREACHABLE) {
            throw new ProbeRefused("benchmark stopped by its probe request, before any step (1 request sent): "
                    + provider.endpoint() + ": " + ex.failure().describe());
        }
    }

    /** The {@code load.step} of the probe request in the journal: in no step. */
    public static final int PROBE_STEP = -1;

    /**
     * The benchmark records waiting for the journal's writer at most: ~20 s of requests at 200/s,
     * a few MB of exchanges; a sender waits when the writer is this far behind.
     */
    static final int JOURNAL_QUEUE = 4096;

    /**
     * Hands one benchmark request (times from the step's start) to the journal's writer, which
     * builds its record and appends it off the sending threads ({@link JournalWriter}).
     */
    private void journal(Trial t, int step, long n, Exchange ex, long stepStart, long intended, long sendAt, long done,
            boolean measured, boolean inWindow) throws InterruptedException {
        // started_at is when the request was sent, on the wall clock: its step's start on the wall clock
        // is then started_at − sent_ms, the same for every request of the step (a merge and the
        // interval log place steps by it), however late the record reaches the journal
        java.time.Instant at = clock.now().minusNanos(Math.max(0, clock.nanoTime() - sendAt));
        journal.append(() -> {
            java.util.Optional<Cost> cost = pricing.cost(t.model().priceKey(), ex.usage(), false);
            return TrialResult.builder(t.id() + "#" + step + "." + n, t.caseId(), t.model().id(),
                    t.model().model(), t.repeat()).pass(ex.ok()).error(TrialError.of(ex.failure()))
                    .requestId(ex.requestId()).stopReason(ex.stopReason())
                    .timings(TimingsMillis.of(ex.timings(), ex.usage().outputTokens()))
                    .usage(ex.usage().raw()).costUsd(cost.map(Cost::totalUsd).orElse(null))
                    .unpriced(cost.isEmpty()).attempts(1).startedAt(at)
                    .load(new LoadRecord(step, ms(intended - stepStart), ms(sendAt - stepStart), ms(done - stepStart),
                            measured, inWindow))
                    .build();
        });
    }

    private static double ms(long nanos) {
        return TimingsMillis.millis(nanos);
    }

    private StepResult closed(int index, LoadSpec spec, int workers, List<Trial> trials, Timeouts timeouts)
            throws InterruptedException {
        StepRecorder recorder = new StepRecorder(spec);
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
                        StepRecorder.Finished finished = StepRecorder.Finished.of(done, warmupEnd, end);
                        boolean inWindow = finished == StepRecorder.Finished.IN_WINDOW;
                        recorder.record(ex, done - sendAt, 0, measured, finished);
                        journal(t, index, n, ex, start, sendAt, sendAt, done, measured, inWindow);
                    }
                    return null;
                });
            }
        }
        double window = (end - warmupEnd) / 1e9;
        return recorder.result(index, workers, null, Math.min(issued.get(), spec.maxRequests()), window);
    }

    /**
     * One open-loop step. The schedule runs on a platform thread of its own ({@code sonde-arrivals}),
     * which builds each request (its trial, provider and {@link MessageRequest}) before its intended
     * start, waits for that instant ({@link StartTimer}: a sleep, then a spin), takes an in-flight
     * slot and starts the request's virtual thread; the request's send time is read on that thread,
     * just before it is handed to the client, so the start delay (send − intended start) counts
     * every wait on the way: the timer, the slot, the virtual thread's start. Journaling happens off
     * those threads ({@link JournalWriter}).
     */
    private StepResult open(int index, LoadSpec spec, double rate, List<Trial> trials, Timeouts timeouts)
            throws InterruptedException {
        StepRecorder recorder = new StepRecorder(spec);
        ArrivalSchedule schedule = new ArrivalSchedule(rate, spec.poisson(), spec.seed() + index);
        Semaphore inFlight = new Semaphore(spec.maxInFlight());
        List<MessageRequest> requests = trials.stream().map(t -> new MessageRequest(t.body(), t.headers(), timeouts))
                .toList();
        long start = clock.nanoTime();
        long end = start + spec.duration().toNanos();
        long warmupEnd = start + spec.warmup().toNanos();
        OpenStep step = new OpenStep(index, start, warmupEnd, end, recorder);
        long sent;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            FutureTask<Long> arrivals = new FutureTask<>(() -> {
                long n = 0;
                for (; n < spec.maxRequests(); n++) {
                    long intended = start + schedule.next();
                    if (intended >= end) {
                        break;
                    }
                    Trial t = trials.get((int) (n % trials.size()));
                    Provider provider = providers.apply(t);
                    MessageRequest request = requests.get((int) (n % trials.size()));
                    boolean measured = intended >= warmupEnd;
                    long number = n;
                    Runnable send = () -> {
                        try {
                            sendOpen(step, provider, request, t, number, intended, measured);
                        } finally {
                            inFlight.release();
                        }
                    };
                    StartTimer.awaitUntil(clock, intended, sending::cancelled);
                    if (sending.cancelled()) {
                        break;
                    }
                    inFlight.acquire();
                    pool.execute(send);
                }
                return n;
            });
            Thread.ofPlatform().name("sonde-arrivals").daemon().start(arrivals);
            sent = await(arrivals);
        }
        double window = (end - warmupEnd) / 1e9;
        return recorder.result(index, null, rate, sent, window);
    }

    /** An open-loop step as its requests see it: its index, clock readings (ns) and recorder. */
    private record OpenStep(int index, long start, long warmupEnd, long end, StepRecorder recorder) {}

    /** Sends one open-loop request on its own virtual thread, records it in its step and journals it. */
    private void sendOpen(OpenStep step, Provider provider, MessageRequest request, Trial t, long number, long intended,
            boolean measured) {
        if (!sending.enter()) {
            return;
        }
        long sendAt = clock.nanoTime();
        Exchange ex;
        try {
            ex = provider.send(request);
        } catch (InterruptedException e) {
            return; // a stop cancelled it in flight: no response to measure
        } finally {
            sending.leave();
        }
        long done = clock.nanoTime();
        StepRecorder.Finished finished = StepRecorder.Finished.of(done, step.warmupEnd(), step.end());
        step.recorder().record(ex, done - intended, sendAt - intended, measured, finished);
        try {
            journal(t, step.index(), number, ex, step.start(), intended, sendAt, done, measured,
                    finished == StepRecorder.Finished.IN_WINDOW);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The arrivals' count of requests sent; an interrupt of the caller stops them first. */
    private static long await(FutureTask<Long> arrivals) throws InterruptedException {
        try {
            return arrivals.get();
        } catch (InterruptedException e) {
            arrivals.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * The index of the saturation step, the first that no longer delivers what it was offered (open
     * loop: achieved rate below 90 % of the offered rate; closed: less than 10 % more throughput than
     * the step before), or null when every step kept up. The knee is the step before it ({@link #knee}).
     */
    public static Integer saturation(List<StepResult> steps) {
        // KNEE_RULE states this rule in words: change both together
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

    /** {@link #saturation}'s rule in words, as the report states it beside the knee it found. */
    public static final String KNEE_RULE = "The knee is the last step that still delivered what it was offered; "
            + "saturation is the step after it, the first that did not: in an open loop, an achieved rate below 90 % of "
            + "the offered rate; in a closed loop, less than 10 % more throughput than the step before. Achieved rate "
            + "and throughput count the successes that finished in the step's measured window.";

    /** The samples a p99 needs before it is more than the largest sample or near it. */
    public static final int P99_MIN_SAMPLES = 100;

    /** A step's p99, marked {@code *} when it rests on fewer than {@value #P99_MIN_SAMPLES} samples. */
    public static String p99(StepResult s, Double p99Ms) {
        return p99(s.succeeded(), p99Ms);
    }

    /** A p99 from {@code samples} values, marked {@code *} when they are fewer than {@value #P99_MIN_SAMPLES}. */
    public static String p99(long samples, Double p99Ms) {
        return Fmt.ms(p99Ms) + (p99Ms != null && samples < P99_MIN_SAMPLES ? "*" : "");
    }

    /** A step's load as people say it: {@code 8 workers}, {@code 20.0/s offered}. */
    public static String load(StepResult s) {
        return s.concurrency() != null ? s.concurrency() + (s.concurrency() == 1 ? " worker" : " workers")
                : String.format(java.util.Locale.ROOT, "%.1f/s offered", s.offeredRatePerS());
    }

    /**
     * One line for people: the step's load, the latency sample count n, throughput and goodput, TTFT
     * and response-time tails (a p99 from fewer than {@value #P99_MIN_SAMPLES} samples marked {@code *}),
     * errors among the requests finished in the window, the warm-up's errors apart, and FAILED.
     */
    public static String describe(StepResult s) {
        long outside = s.warmupErrors() + s.afterWindowErrors();
        return String.format(java.util.Locale.ROOT,
                "step %d (%s): n %d, %.1f req/s, goodput %.1f/s, %.0f tok/s, ttft p50 %s p99 %s, response p99 %s, "
                        + "errors %s of %d%s%s",
                s.step(), load(s), s.succeeded(), s.requestRatePerS(), s.goodputPerS(), s.outputTokenRatePerS(),
                Fmt.ms(s.ttftMs().p50()), p99(s, s.ttftMs().p99()), p99(s, s.responseMs().p99()), Fmt.pct(s.errorRate()),
                s.finishedInWindow(),
                outside == 0 ? "" : String.format(java.util.Locale.ROOT, " (outside the window: %d warm-up, %d after)",
                        s.warmupErrors(), s.afterWindowErrors()),
                s.failed() == null ? "" : " — FAILED: " + s.failed());
    }
}
