package dev.sonde.run;

import dev.sonde.api.BatchClient;
import dev.sonde.check.Graders;
import dev.sonde.metrics.VirtualClock;
import dev.sonde.api.Provider;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.SequenceManifest;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Executes a plan: each trial on a virtual thread, at most {@code concurrency} in flight, sent,
 * retried, checked, priced and journaled by a {@link TrialWorker}, the run's shared state in a
 * {@link RunContext}. Every planned trial ends with exactly one journal line:
 * a result, or {@code skipped} with the reason.
 *
 * <p>The first trial runs alone, as a probe: if the endpoint rejects the key or cannot be reached,
 * the run stops after that trial ({@link RunAborted}). A rejected key later stops new trials too, and
 * so does an endpoint that cannot be reached before it has answered (each model's endpoint is probed
 * by the first requests it gets); one that answered and then cannot be reached, or a connection
 * closed without a response, fails that trial only ({@link Reachability}).
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
    private Graders graders = Graders.NONE;
    private VirtualClock virtualTime;
    private RunStop outside = new RunStop();

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
    public Runner withGraders(Graders graders) {
        this.graders = graders;
        return this;
    }

    /**
     * Offline cache-variant runs: the sequencer skips inter-arrival gaps and cool-downs on this
     * clock (shared with the emulator) instead of sleeping ({@link Sequencer}), and so does retry
     * backoff ({@link VirtualWaits}).
     */
    public Runner withVirtualTime(VirtualClock clock) {
        this.virtualTime = clock;
        return this;
    }

    /**
     * Lets {@code stop} end the run from outside (Ctrl-C, SIGTERM): nothing more is sent, the requests
     * in flight are cancelled, their trials and the rest are journaled as {@code skipped} with its
     * reason, and the run ends with {@link RunAborted} as a budget stop does. With batches, the batch
     * in progress is cancelled and whatever it finished is journaled ({@link BatchRunner}).
     */
    public Runner withStop(RunStop stop) {
        this.outside = stop;
        return this;
    }

    /**
     * @param meta run metadata without the finish fields (filled in here)
     * @param outDir where {@code trials.jsonl} goes; an existing journal there is resumed
     */
    public RunResult run(Suite suite, List<Trial> trials, int concurrency, RunInfo meta, Path outDir)
            throws SuiteException, IOException, InterruptedException, RunAborted {
        return run(suite, trials, concurrency, meta, outDir, null);
    }

    /**
     * As {@link #run(Suite, List, int, RunInfo, Path)}, handing every journal line to {@code tap} in
     * journal order as it is written — a resumed journal's lines first, but for its skipped trials,
     * which are sent again — so that what learns from
     * the run's trials has nothing left to read when the last one is in ({@link Journal#open(Path,
     * Consumer)}).
     *
     * @param tap null for none
     */
    public RunResult run(Suite suite, List<Trial> trials, int concurrency, RunInfo meta, Path outDir,
            Consumer<TrialResult> tap) throws SuiteException, IOException, InterruptedException, RunAborted {
        RunContext run = RunContext.start(suite, trials, graders, clock, outDir, resumed(tap));
        List<Trial> todo = run.todo();
        AdaptiveLimit slots = new AdaptiveLimit(concurrency);
        try (Journal journal = Journal.open(run.journalPath(), tap); Budget budget = run.budget()) {
            TrialWorker worker = new TrialWorker(run, journal, slots, providers, pricing, clock, listener, cache,
                    virtualTime != null ? new VirtualWaits(virtualTime) : clock);
            try (RunStop.Attached stopping = outside.onRequest(worker::cancel)) {
                if (!suite.variants().isEmpty()) {
                    SequenceManifest manifest = SequenceManifest.of(suite, virtualTime != null);
                    manifest.write(outDir);
                    new Sequencer(clock, virtualTime, manifest).withPrimer(Primer.of(suite, providers))
                            .run(todo, worker::execute, worker::skip, run.stop());
                } else {
                    if (!todo.isEmpty()) {
                        worker.execute(todo.get(0), 0);
                    }
                    if (todo.size() > 1) {
                        runRest(todo.subList(1, todo.size()), slots, worker, run.stop());
                    }
                }
            }
            budget.summary().ifPresent(listener::note);
        }
        return run.finish(meta, clock, pricing, outDir, concurrency,
                new RunResult.LoadControl(Math.max(1, concurrency), slots.lowest(), slots.throttles()));
    }

    /**
     * Runs the plan through Message Batches instead of one request per trial ({@link BatchRunner}):
     * checked, priced at the batch tier and journaled like any trial (one attempt, no latency).
     * Resume works as for {@link #run}: journaled trials are not submitted again. A plan with
     * tool-loop cases is refused before anything is sent ({@link SuiteException}).
     */
    public RunResult runBatch(Suite suite, List<Trial> trials, RunInfo meta, Path outDir,
            BatchClient batches) throws SuiteException, IOException, InterruptedException, RunAborted {
        return runBatch(suite, trials, meta, outDir, batches, null);
    }

    /** As {@link #runBatch(Suite, List, RunInfo, Path, BatchClient)}, with a journal tap as for {@link #run}. */
    public RunResult runBatch(Suite suite, List<Trial> trials, RunInfo meta, Path outDir, BatchClient batches,
            Consumer<TrialResult> tap) throws SuiteException, IOException, InterruptedException, RunAborted {
        BatchRunner.refuseToolLoops(suite, trials);
        RunContext run = RunContext.start(suite, trials, graders, clock, outDir, resumed(tap));
        try (Journal journal = Journal.open(run.journalPath(), tap); Budget budget = run.budget()) {
            TrialWorker worker = new TrialWorker(run, journal, new AdaptiveLimit(1), providers, pricing, clock, listener,
                    cache, clock);
            try (RunStop.Attached stopping = outside.onRequest(worker::cancel)) {
                new BatchRunner(pricing, clock, listener).submit(run, worker, batches);
            }
            budget.summary().ifPresent(listener::note);
        }
        return run.finish(meta, clock, pricing, outDir, 0, new RunResult.LoadControl(0, 0, 0));
    }

    /**
     * What of a resumed journal goes to the tap: every line but the skipped ones, whose trials this
     * run sends again and journals anew (a skipped line and the trial's later result would count
     * the trial twice, and close its case early, in what learns from the run).
     */
    private static Consumer<TrialResult> resumed(Consumer<TrialResult> tap) {
        return tap == null ? null : t -> {
            if (t.skipped() == null) {
                tap.accept(t);
            }
        };
    }

    private void runRest(List<Trial> rest, AdaptiveLimit slots, TrialWorker worker, AtomicReference<String> stop)
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
        rethrow(crash.get());
    }

    /** What a trial's worker thread threw, rethrown on the run's thread; nothing when null. */
    static void rethrow(Throwable e) throws InterruptedException, IOException {
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
}
