package dev.sonde.run;

import dev.sonde.journal.SequenceManifest;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.VirtualClock;
import dev.sonde.suite.SequenceSpec;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the trials of a cache-variant plan as timed sequences ({@link SequenceSpec}): sequences one
 * after another in plan order; within one, arrival after arrival, each arrival's requests sent
 * together, an arrival starting when the previous one has finished and its due time (sequence start
 * + the gaps before it) has come. A late arrival goes at once.
 *
 * <p>Waiting: with a {@link VirtualClock} (offline) the wait is skipped — the clock jumps, while no
 * request is in flight — and before every sequence but the first the clock also jumps
 * {@link SequenceManifest#coolDownNanos()}, past every cache entry's TTL, so each sequence starts
 * cold on the emulator. Without one (live) the sequencer sleeps the gaps for real and sequences
 * follow each other directly. Once {@code stop} holds a reason, every trial not yet sent is skipped
 * (a gap being slept ends within {@link RunStop#POLL_NANOS}).
 *
 * <p>Priming: offline, a {@link #withPrimer primer} is run once before the first sequence (with
 * the plan's first trial, for its model and endpoint), so the JVM's and the connection's first-call
 * costs are not measured as the first variant's TTFT ({@link Primer}). Live, nothing is primed: the
 * warm-up request ({@code sequence.warmup}) is the documented way to absorb them there.
 */
final class Sequencer {
    /** Sends one trial (the runner's worker). */
    interface Send {
        void execute(Trial trial, long queuedNanos) throws InterruptedException, IOException;
    }

    /** Journals a trial as never sent. */
    interface Skip {
        void skip(Trial trial, String reason) throws IOException;
    }

    /** Sends one unmeasured request for {@code first}'s model; its outcome is ignored. */
    interface Prime {
        void prime(Trial first) throws InterruptedException;
    }

    private final Clock time;
    private final VirtualClock virtual;
    private final SequenceManifest manifest;
    private Prime primer;

    /** @param virtual the clock to skip on (offline), or null to sleep on {@code clock} (live) */
    Sequencer(Clock clock, VirtualClock virtual, SequenceManifest manifest) {
        this.time = virtual != null ? virtual : clock;
        this.virtual = virtual;
        this.manifest = manifest;
    }

    /** Offline only: sends {@code primer}'s request once before the first sequence. */
    Sequencer withPrimer(Prime primer) {
        this.primer = primer;
        return this;
    }

    void run(List<Trial> todo, Send send, Skip skip, AtomicReference<String> stop)
            throws InterruptedException, IOException {
        if (virtual != null && primer != null && !todo.isEmpty() && stop.get() == null) {
            primer.prime(todo.get(0));
        }
        Map<String, List<Trial>> sequences = new LinkedHashMap<>();
        for (Trial t : todo) {
            sequences.computeIfAbsent(t.sequence(), k -> new ArrayList<>()).add(t);
        }
        boolean first = true;
        for (List<Trial> sequence : sequences.values()) {
            SequenceSpec spec = manifest.variant(sequence.get(0).variant()).orElseThrow().sequence();
            if (virtual != null && !first && stop.get() == null) {
                virtual.advanceNanos(manifest.coolDownNanos());
            }
            first = false;
            TreeMap<Integer, List<Trial>> arrivals = new TreeMap<>();
            for (Trial t : sequence) {
                arrivals.computeIfAbsent(spec.arrivalOf(t.repeat()), k -> new ArrayList<>()).add(t);
            }
            long start = time.nanoTime();
            for (Map.Entry<Integer, List<Trial>> arrival : arrivals.entrySet()) {
                long left = start + spec.offsetOf(arrival.getKey()).toNanos() - time.nanoTime();
                if (left > 0 && stop.get() == null) {
                    if (virtual != null) {
                        virtual.advanceNanos(left);
                    } else {
                        RunStop.sleep(time, left, () -> stop.get() != null);
                    }
                }
                if (stop.get() != null) { // before the arrival, or during its gap
                    for (Trial t : arrival.getValue()) {
                        skip.skip(t, stop.get());
                    }
                    continue;
                }
                together(arrival.getValue(), send);
            }
        }
    }

    /** Sends the trials of one arrival at once and returns when all have finished. */
    private static void together(List<Trial> trials, Send send) throws InterruptedException, IOException {
        if (trials.size() == 1) {
            send.execute(trials.get(0), 0);
            return;
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Trial t : trials) {
                pool.submit(() -> {
                    try {
                        send.execute(t, 0);
                    } catch (InterruptedException | IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                    return null;
                });
            }
        }
        Runner.rethrow(failure.get());
    }
}
