package dev.sonde.run;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.stats.Samples;
import dev.sonde.suite.LoadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A benchmark over time, one point per second of each step: requests started and finished,
 * successes (throughput), successes that met every SLO bound (goodput), errors, the mean number of
 * requests in flight, and the TTFT p50/p99 of the successes that finished in that second. Learnt
 * from the journal alone ({@link Fold}, beside {@link LoadRunner.StepFold} in the same pass),
 * warm-ups and the probe included: it shows the run as it happened, where the steps show its
 * measured windows.
 *
 * <p><b>The time axis.</b> Journaled times are milliseconds from each step's start, so each
 * step's seconds are exact; the steps are laid end to end on the run's axis. The run starts when
 * the probe ({@link LoadRunner#PROBE_STEP}) was sent; steps run one after another, each beginning
 * when the last request of the one before it finished (a step ends only when every request it
 * sent has finished), so a step's start is the previous step's start plus its last
 * {@code done_ms}. The journal and the thread hand-over between two steps (well under a
 * millisecond on loopback) are not on the axis.
 *
 * <p>A step's last point covers only the part of a second before the step ended
 * ({@code width_s} &lt; 1); counts are per point, in-flight a mean over its width. Records whose
 * times are not finite, negative, done before sent or past {@link #MAX_STEP_SECONDS} are left out
 * and counted ({@code skipped}).
 *
 * @param stepStartsS each step's start in seconds from the run's start, by step index (the probe
 *     not included: it starts at 0)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"step_starts_s", "skipped", "seconds"})
public record LoadTimeline(List<Double> stepStartsS, long skipped, List<Second> seconds) {

    /** The longest step the timeline follows: a day; later times are hostile or broken input. */
    public static final int MAX_STEP_SECONDS = 86_400;

    /**
     * One second of one step.
     *
     * @param tS its start, seconds from the run's start
     * @param step the step's index ({@link LoadRunner#PROBE_STEP} for the probe)
     * @param widthS how much of the second the step lasted (1 but for the step's last second)
     * @param started requests sent in it
     * @param finished requests that finished in it, successes and errors
     * @param ok successes that finished in it (throughput)
     * @param good successes that finished in it and met every SLO bound (goodput)
     * @param errors errors that finished in it
     * @param inFlight requests in flight, averaged over the second's width
     * @param ttftN the TTFT samples of the successes that finished in it
     * @param ttftP50Ms their median TTFT, or null when none
     * @param ttftP99Ms their 99th percentile, or null when none (from fewer than
     *     {@value LoadRunner#P99_MIN_SAMPLES} samples it is the largest or near it)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"t_s", "step", "width_s", "started", "finished", "ok", "good", "errors", "in_flight", "ttft_n",
            "ttft_p50_ms", "ttft_p99_ms"})
    public record Second(double tS, int step, double widthS, long started, long finished, long ok, long good,
            long errors, double inFlight, long ttftN, Double ttftP50Ms, Double ttftP99Ms) {}

    /** A fold over the journal of a benchmark run under {@code spec} (its steps and SLO). */
    public static Fold fold(LoadSpec spec) {
        return new Fold(spec);
    }

    /**
     * The timeline learnt one journaled request at a time, in any order. Memory is fixed per second
     * of run: per second a few counters and a TTFT distribution (exact up to 256 values, then a
     * packed HdrHistogram). A request without a {@code load} record, or of a step the spec does not
     * have, is ignored. Not thread-safe.
     */
    public static final class Fold implements Consumer<TrialResult> {
        private static final double SECOND_MS = 1000;
        private final LoadSpec spec;
        private final TreeMap<Integer, StepSeconds> steps = new TreeMap<>();
        private long skipped;

        private Fold(LoadSpec spec) {
            this.spec = spec;
        }

        @Override
        public void accept(TrialResult t) {
            LoadRecord load = t.load();
            if (load == null || load.step() < LoadRunner.PROBE_STEP || load.step() >= spec.steps()) {
                return;
            }
            double sent = load.sentMs();
            double done = load.doneMs();
            if (!Double.isFinite(sent) || !Double.isFinite(done) || sent < 0 || done < sent
                    || done >= MAX_STEP_SECONDS * SECOND_MS) {
                skipped++;
                return;
            }
            StepSeconds step = steps.computeIfAbsent(load.step(), i -> new StepSeconds());
            step.lastDoneMs = Math.max(step.lastDoneMs, done);
            step.at(sent).started++;
            Bin end = step.at(done);
            end.finished++;
            if (t.error() != null) {
                end.errors++;
            } else {
                end.ok++;
                TimingsMillis timings = t.timings();
                Double ttft = timings == null ? null : timings.ttftMs();
                if (timings != null && spec.slo().met(TimingsMillis.nanosOrAbsent(ttft),
                        TimingsMillis.nanosOrAbsent(timings.tpotMs()), TimingsMillis.nanosOrAbsent(timings.e2eMs()))) {
                    end.good++;
                }
                if (ttft != null) {
                    if (end.ttft == null) {
                        end.ttft = new Samples(Samples.MILLIS);
                    }
                    end.ttft.record(ttft);
                }
            }
            step.inFlight(sent, done);
        }

        /** The timeline of what was fed so far. */
        public LoadTimeline timeline() {
            List<Double> starts = new ArrayList<>();
            List<Second> seconds = new ArrayList<>();
            double startMs = 0;
            for (int i = LoadRunner.PROBE_STEP; i < spec.steps(); i++) {
                StepSeconds step = steps.get(i);
                if (i >= 0) {
                    starts.add(round(startMs / SECOND_MS));
                }
                if (step == null) {
                    continue;
                }
                step.emit(i, startMs, seconds);
                startMs += step.lastDoneMs;
            }
            return new LoadTimeline(List.copyOf(starts), skipped, List.copyOf(seconds));
        }
    }

    /** One step's seconds, indexed from its start. */
    private static final class StepSeconds {
        private final List<Bin> bins = new ArrayList<>();
        private double lastDoneMs;

        Bin at(double ms) {
            int k = (int) (ms / 1000);
            while (bins.size() <= k) {
                bins.add(new Bin());
            }
            return bins.get(k);
        }

        /**
         * Adds the time [{@code sent}, {@code done}) to the seconds it spans: the partial first and
         * last seconds exactly, the whole seconds between through a difference count (constant
         * work per request however long it ran).
         */
        void inFlight(double sent, double done) {
            int first = (int) (sent / 1000);
            int last = (int) (done / 1000);
            if (first == last) {
                at(sent).partialMs += done - sent;
                return;
            }
            at(sent).partialMs += (first + 1) * 1000.0 - sent;
            at(done).partialMs += done - last * 1000.0;
            if (last > first + 1) {
                bins.get(first + 1).wholeFrom++;
                bins.get(last).wholeFrom--;
            }
        }

        void emit(int step, double startMs, List<Second> out) {
            long whole = 0;
            for (int k = 0; k < bins.size(); k++) {
                Bin b = bins.get(k);
                whole += b.wholeFrom;
                double widthMs = Math.max(1e-3, Math.min(1000, lastDoneMs - k * 1000.0));
                double inFlight = (whole * 1000.0 + b.partialMs) / widthMs;
                long n = b.ttft == null ? 0 : b.ttft.count();
                out.add(new Second(round((startMs + k * 1000.0) / 1000), step, round(widthMs / 1000), b.started,
                        b.finished, b.ok, b.good, b.errors, Math.round(inFlight * 100) / 100.0, n,
                        n == 0 ? null : micros(b.ttft.percentile(50)), n == 0 ? null : micros(b.ttft.percentile(99))));
            }
        }
    }

    /** The counters of one second. */
    private static final class Bin {
        long started;
        long finished;
        long ok;
        long good;
        long errors;
        double partialMs;
        /** +1 where a run of whole in-flight seconds begins, −1 where it ends. */
        long wholeFrom;
        Samples ttft;
    }

    /** Milliseconds to the microsecond, the journal's resolution. */
    private static double micros(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
