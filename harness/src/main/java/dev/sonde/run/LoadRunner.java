package dev.sonde.run;

import dev.sonde.journal.AtomicFile;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.nio.file.Files;
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
 * warm-up are sent but not measured. Results go to {@code results.json} ({@code kind: benchmark});
 * the saturation point of a
 * sweep is the first step that no longer delivers what it was offered (open: achieved rate below
 * 90 % of the offered rate; closed: less than 10 % more throughput than the step before).
 */
public final class LoadRunner {
    private final Function<Trial, Provider> providers;
    private final Clock clock;
    private final TrialListener listener;

    public LoadRunner(Function<Trial, Provider> providers, Clock clock, TrialListener listener) {
        this.providers = providers;
        this.clock = clock;
        this.listener = listener;
    }

    /** The steps, the index of the saturation step (null when none), and where they were written. */
    public record LoadResult(List<StepResult> steps, Integer saturationStep, Path file) {}

    public LoadResult run(Suite suite, List<Trial> trials, Path outDir) throws IOException, InterruptedException {
        LoadSpec spec = suite.load();
        Timeouts timeouts = suite.run().timeouts();
        List<StepResult> steps = new ArrayList<>();
        for (int i = 0; i < spec.steps(); i++) {
            StepResult step = spec.open()
                    ? open(i, spec, spec.ratesPerSecond().get(i), trials, timeouts)
                    : closed(i, spec, spec.concurrencies().get(i), trials, timeouts);
            steps.add(step);
            listener.note(describe(step));
        }
        Integer knee = saturation(steps);
        Files.createDirectories(outDir);
        Path file = outDir.resolve("results.json");
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("format_version", 1);
        doc.put("kind", "benchmark");
        doc.put("suite", suite.name());
        doc.put("suite_file", suite.file().toString());
        doc.put("load", spec);
        doc.put("saturation_step", knee);
        doc.put("steps", steps);
        String text = Journal.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
        AtomicFile.write(file, out -> out.write(text));
        return new LoadResult(List.copyOf(steps), knee, file);
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
                        if (n >= spec.maxRequests()) {
                            return null;
                        }
                        Trial t = trials.get((int) (n % trials.size()));
                        long sendAt = clock.nanoTime();
                        Exchange ex = providers.apply(t).send(new MessageRequest(t.body(), t.headers(), timeouts));
                        long done = clock.nanoTime();
                        recorder.record(ex, done - sendAt, 0, sendAt >= warmupEnd, done >= warmupEnd && done <= end);
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
                    clock.sleepNanos(wait);
                }
                inFlight.acquire();
                Trial t = trials.get((int) (n % trials.size()));
                boolean measured = intended >= warmupEnd;
                sent++;
                pool.submit(() -> {
                    try {
                        long sendAt = clock.nanoTime();
                        Exchange ex = providers.apply(t).send(new MessageRequest(t.body(), t.headers(), timeouts));
                        long done = clock.nanoTime();
                        recorder.record(ex, done - intended, sendAt - intended, measured,
                                done >= warmupEnd && done <= end);
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

    static Integer saturation(List<StepResult> steps) {
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
                s.step(), load, s.requestRatePerS(), s.outputTokenRatePerS(), ms(s.ttftMs().p50()), ms(s.ttftMs().p99()),
                ms(s.responseMs().p99()), s.errorRate() * 100);
    }

    private static String ms(Double v) {
        return v == null ? "—" : String.format(java.util.Locale.ROOT, "%.0f ms", v);
    }
}
