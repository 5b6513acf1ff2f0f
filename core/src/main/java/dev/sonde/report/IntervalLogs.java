package dev.sonde.report;

import dev.sonde.analysis.TrialFold;
import dev.sonde.journal.AtomicFile;
import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A benchmark's latencies as an HdrHistogram interval log ({@value #FILE}), in HdrHistogram's own
 * log format (format version 1.3, written by {@link HistogramLogWriter}), so HdrHistogram's log
 * tools ({@code HistogramLogProcessor}, HistogramLogAnalyzer) and any other reader of the format
 * take it as it is.
 *
 * <p>What is in it: one interval histogram per second, per step and per metric, each tagged
 * {@code <metric>.step<k>} ({@value #TTFT}, {@value #ITL} — every inter-token gap —, {@value #E2E}
 * from the actual send, {@value #RESPONSE} from the intended start), values in microseconds,
 * interval maxima in milliseconds. Exactly the samples the step's percentiles are taken over: the
 * successes sent after the warm-up (the probe, step −1, is in none). A request belongs to the
 * second in which it <em>completed</em>, counted from the run's wall-clock start
 * ({@code #[StartTime]}, {@link RunInfo#startedAt()}): its step's start on the wall clock plus its
 * journaled {@code done_ms}, the step's start being the first of its requests' journal stamp
 * ({@code started_at}, when the request was sent) less its {@code sent_ms}. In a merged run
 * ({@code sonde merge}) every machine's stamps are already moved onto the first machine's clock,
 * so one step has one start.
 *
 * <p>Written during the one pass over the journal (a {@link TrialFold}), holding only the seconds
 * still open: a second is written once the journal has moved {@value #LAG_S} seconds past it (the
 * journal is in completion order give or take a few milliseconds); a request later than that is
 * still written, as an interval of its own second further down the file. All-or-nothing: nothing
 * replaces the file until {@link #finish()}. Not thread-safe (one pass feeds it).
 */
public final class IntervalLogs implements TrialFold {
    /** The file, beside the journal. */
    public static final String FILE = "latency.hlog";
    /** Time to first token. */
    public static final String TTFT = "ttft";
    /** Every gap between two content deltas. */
    public static final String ITL = "itl";
    /** Service time, from the actual send. */
    public static final String E2E = "e2e";
    /** Response time, from the intended start. */
    public static final String RESPONSE = "response";
    /** Seconds the journal must move past a second before it is written. */
    static final int LAG_S = 3;
    /** Significant digits of every interval histogram, as the step's own (stats/Samples). */
    private static final int DIGITS = 3;
    /** The longest time a record may place or hold (ms): a day, as the timeline's bound on a step. */
    static final double MAX_MS = dev.sonde.run.LoadTimeline.MAX_STEP_SECONDS * 1000.0;
    /**
     * The most seconds held open at once: past it the earliest is written, so a hostile journal (a
     * far-future second first, then thousands of earlier ones) cannot hold every interval in memory.
     */
    static final int MAX_OPEN_SECONDS = 4096;

    private final AtomicFile.Pending pending;
    private final PrintStream out;
    private final HistogramLogWriter log;
    /** The run's start, epoch milliseconds; a run that recorded none starts with its first step. */
    private Double runStartMs;
    /** step → its start, epoch milliseconds, from its first request. */
    private final Map<Integer, Double> stepStartMs = new HashMap<>();
    /** second → tag → the interval histogram still open. */
    private final TreeMap<Long, Map<String, Histogram>> open = new TreeMap<>();
    private long latestSecond = Long.MIN_VALUE;
    private long intervals;

    private IntervalLogs(AtomicFile.Pending pending, RunInfo info) {
        this.pending = pending;
        this.out = new PrintStream(pending.stream(), false, StandardCharsets.US_ASCII);
        this.log = new HistogramLogWriter(out);
        Instant start = info == null ? null : info.startedAt();
        this.runStartMs = start == null ? null : epochMillis(start);
        log.outputLogFormatVersion();
        log.outputComment("[Sonde benchmark " + (info == null ? "?" : info.suite() + " run " + info.runId())
                + ": one interval per second of completion, per step and metric; tags <metric>.step<k> with metric "
                + String.join("|", List.of(TTFT, ITL, E2E, RESPONSE)) + "; values in microseconds]");
        if (start != null) {
            log.outputStartTime(start.toEpochMilli());
        }
        log.outputLegend();
    }

    /**
     * Starts {@value #FILE} in {@code outDir} for the run {@code info} describes (its start is the
     * log's {@code StartTime}); feed it every trial of the journal, then {@link #finish()}.
     */
    public static IntervalLogs begin(RunInfo info, Path outDir) throws IOException {
        return new IntervalLogs(AtomicFile.open(outDir.resolve(FILE)), info);
    }

    /** Records {@code trial}'s latencies when it is a success of a step sent after the warm-up. */
    @Override
    public void add(TrialResult trial) {
        LoadRecord load = trial.load();
        if (load == null || load.step() < 0 || !load.measured() || trial.error() != null || trial.skipped() != null
                || !within(load.doneMs()) || !within(load.intendedStartMs()) || !within(load.sentMs())) {
            return; // not a sample, or times no step can have (the timeline skips and counts them too)
        }
        long second = second(trial, load);
        Map<String, Histogram> tags = open.computeIfAbsent(second, s -> new HashMap<>());
        TimingsMillis t = trial.timings();
        String step = ".step" + load.step();
        if (t != null) {
            record(tags, TTFT + step, t.ttftMs());
            if (t.itlMs() != null) {
                for (double gap : t.itlMs()) {
                    record(tags, ITL + step, gap);
                }
            }
            record(tags, E2E + step, t.e2eMs());
        }
        record(tags, RESPONSE + step, load.doneMs() - load.intendedStartMs());
        if (second > latestSecond) {
            latestSecond = second;
            flushBefore(latestSecond - LAG_S);
        }
        while (open.size() > MAX_OPEN_SECONDS) {
            flushBefore(open.firstKey() + 1);
        }
    }

    /**
     * Writes the seconds still open and moves the complete file into place.
     *
     * @return the file written
     */
    public Path finish() throws IOException {
        flushBefore(Long.MAX_VALUE);
        out.flush(); // into the pending file, which stays open until the commit
        if (out.checkError()) { // a print stream keeps its failures to itself
            throw new IOException(FILE + ": could not be written");
        }
        return pending.commit();
    }

    /** Drops the file being written; the folder keeps the one it had (or none). */
    public void abort() {
        pending.abort();
    }

    /** How many intervals were written (one per second, step and metric that had a sample). */
    public long intervals() {
        return intervals;
    }

    /** The second, from the run's start, in which the request completed (0 for anything before it). */
    private long second(TrialResult trial, LoadRecord load) {
        Double stepStart = stepStartMs.get(load.step());
        if (stepStart == null) {
            Instant stamp = trial.startedAt();
            stepStart = stamp == null ? (runStartMs == null ? 0 : runStartMs) : epochMillis(stamp) - load.sentMs();
            stepStartMs.put(load.step(), stepStart);
        }
        if (runStartMs == null) {
            runStartMs = stepStart;
        }
        double fromStartMs = stepStart + load.doneMs() - runStartMs;
        return Double.isFinite(fromStartMs) ? (long) Math.min(MAX_MS * 30 / 1000, Math.max(0, Math.floor(fromStartMs / 1000)))
                : 0; // a stamp a month off the run's start is not a second to keep apart
    }

    /** {@code at} in milliseconds since the epoch, with its fraction. */
    static double epochMillis(Instant at) {
        return at.getEpochSecond() * 1000.0 + at.getNano() / 1e6;
    }

    private static boolean within(double ms) {
        return Double.isFinite(ms) && ms >= 0 && ms < MAX_MS;
    }

    private static void record(Map<String, Histogram> tags, String tag, Double millis) {
        if (millis == null || !within(millis)) {
            return; // never happened (no text delta), or a value no clock gives (a day or more)
        }
        Histogram h = tags.computeIfAbsent(tag, t -> {
            Histogram made = new Histogram(DIGITS);
            made.setTag(t);
            return made;
        });
        h.recordValue(Math.max(1, Math.round(millis * 1000)));
    }

    /** Writes and forgets every open second before {@code second}, in time order, tags sorted. */
    private void flushBefore(long second) {
        while (!open.isEmpty() && open.firstKey() < second) {
            Map.Entry<Long, Map<String, Histogram>> e = open.pollFirstEntry();
            List<String> tags = new ArrayList<>(e.getValue().keySet());
            tags.sort(null);
            for (String tag : tags) {
                log.outputIntervalHistogram(e.getKey(), e.getKey() + 1, e.getValue().get(tag), 1000.0);
                intervals++;
            }
        }
    }
}
