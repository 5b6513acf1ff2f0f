package dev.sonde.lib;

import dev.sonde.metrics.Clock;
import dev.sonde.run.RunAborted;
import dev.sonde.run.RunStop;
import dev.sonde.run.TrialListener;
import dev.sonde.session.HistorySetting;
import dev.sonde.session.SuiteSession;
import dev.sonde.suite.Shards;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.lint.LintWarning;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a Sonde suite from Java code, as {@code sonde run} does: the same plan, limits, journal,
 * baseline comparison and reports, with no process to start and no output to parse.
 *
 * <pre>{@code
 * SuiteSession.Outcome outcome = Sonde.suite(Path.of("suites/regression.yaml"))
 *         .endpoint("emulator")            // or "live", or a base URL; default: the suite's own choice
 *         .concurrency(4)                  // each run a new folder: reports/runs/<suite>-<time>/
 *         .run();
 * if (!outcome.passed()) {
 *     // SuiteSession.Evaluated: outputs().html(), comparison().verdict().lines(), result().trials()
 * }
 * }</pre>
 *
 * Every setting left alone is what {@code sonde run} uses without the matching flag. Keys come from
 * {@link Run#env the environment} only, as for the command line. A run never calls
 * {@link System#exit}: what the command would exit with is {@link SuiteSession.Outcome#passed()} (0 or 1)
 * or the exception {@link Run#run()} throws (2 or 3). Not thread-safe; one {@link Run} per thread.
 */
public final class Sonde {
    private Sonde() {}

    /** A run of {@code suiteFile}, to configure and then {@link Run#run() run}. */
    public static Run suite(Path suiteFile) {
        return new Run(Objects.requireNonNull(suiteFile, "suiteFile"));
    }

    /** The settings of one run of a suite; each setter returns this run. */
    public static final class Run {
        private final Path suiteFile;
        private String endpoint;
        private Path outDir;
        private Integer concurrency;
        private Integer repeat;
        private Path pricing;
        private Path workDir = Path.of("").toAbsolutePath();
        private Map<String, String> env = System.getenv();
        private TrialListener listener = TrialListener.NONE;
        private Clock clock = Clock.system();
        private boolean updateBaseline;
        private boolean cache;
        private boolean batch;
        private Shards.Shard shard;
        private Set<String> only;
        private final List<String> allowEndpoints = new ArrayList<>();
        private final List<String> allowKeyEnvs = new ArrayList<>();
        private Consumer<LintWarning> lint;
        private RunStop stop = new RunStop();
        private HistorySetting history = HistorySetting.AS_SUITE;

        private Run(Path suiteFile) {
            this.suiteFile = suiteFile;
        }

        /** {@code --endpoint}: {@code "emulator"}, {@code "live"} or a base URL; null (the default) keeps the suite's own. */
        public Run endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * {@code --out}: the run's own folder, which must not hold a run yet; by default a new
         * {@code reports/runs/<suite>-<timestamp>} under {@link #workDir} each run.
         */
        public Run outDir(Path outDir) {
            this.outDir = outDir;
            return this;
        }

        /** {@code --concurrency}: requests in flight at once, instead of the suite's {@code run.concurrency}. */
        public Run concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** {@code --repeat}: trials of each case × model, instead of the suite's {@code run.repeat}. */
        public Run repeat(int repeat) {
            this.repeat = repeat;
            return this;
        }

        /** {@code --pricing}: a pricing file extending the built-in table and the suite's own. */
        public Run pricing(Path pricing) {
            this.pricing = pricing;
            return this;
        }

        /**
         * The folder a run works in, as the command line's working directory: its {@code .env} file,
         * {@code reports/runs/} and {@code .sonde-cache/}. Default: the current directory.
         */
        public Run workDir(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
            return this;
        }

        /**
         * The environment the run reads its keys and settings from (a {@code .env} file in
         * {@link #workDir} adds to it). Default: {@link System#getenv()}.
         */
        public Run env(Map<String, String> env) {
            this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
            return this;
        }

        /**
         * Hears each trial as it finishes and the lines a live run announces before it sends anything
         * (where requests go, what they may cost, which key pays). Default: hears nothing.
         */
        public Run listener(TrialListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock every timing is read from. Default: the system's monotonic clock. */
        public Run clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** {@code --update-baseline}: the run becomes the suite's baseline after it is compared with the old one. */
        public Run updateBaseline(boolean updateBaseline) {
            this.updateBaseline = updateBaseline;
            return this;
        }

        /** {@code --cache}: replay identical requests from {@code .sonde-cache/} and store new answers there. */
        public Run cache(boolean cache) {
            this.cache = cache;
            return this;
        }

        /** {@code --batch}: send the plan through Message Batches (half price, no timings). */
        public Run batch(boolean batch) {
            this.batch = batch;
            return this;
        }

        /**
         * {@code --shard k/n}: run only the k-th of n parts of the plan.
         *
         * @throws IllegalArgumentException not {@code k/n} with 1 ≤ k ≤ n
         */
        public Run shard(String shard) {
            this.shard = shard == null ? null : Shards.Shard.parse(shard);
            return this;
        }

        /**
         * Run only the plan's trials with these ids ({@link dev.sonde.suite.Trial#id()}, listed by
         * {@link #plan()}): the part is judged against the baseline on its own case × model pairs.
         * Null (the default) runs them all.
         */
        public Run only(Set<String> trialIds) {
            this.only = trialIds == null ? null : Set.copyOf(trialIds);
            return this;
        }

        /** {@code --allow-endpoint}: hosts the suite may send keys to beyond the official ones and loopback. */
        public Run allowEndpoints(String... hosts) {
            allowEndpoints.addAll(Arrays.asList(hosts));
            return this;
        }

        /** {@code --allow-key-env}: variables the suite may name as {@code api_key_env} beyond {@code *_API_KEY}. */
        public Run allowKeyEnvs(String... names) {
            allowKeyEnvs.addAll(Arrays.asList(names));
            return this;
        }

        /**
         * {@code --history=PATH}: the finished run adds itself to the run history store {@code store}
         * (relative to {@link #workDir}), whatever the suite's {@code history:} says; null leaves it to the
         * suite. The store needs {@code sonde-history} on the class path (or {@code SONDE_HISTORY_JAR});
         * without it the run is refused before anything is sent.
         */
        public Run history(Path store) {
            this.history = (store == null ? HistorySetting.AS_SUITE : HistorySetting.on(store)).waiting(history.lockWait());
            return this;
        }

        /** {@code --history} (true: the suite's store, else {@code reports/history.duckdb}) or {@code --no-history} (false). */
        public Run history(boolean on) {
            this.history = (on ? HistorySetting.on(null) : HistorySetting.off()).waiting(history.lockWait());
            return this;
        }

        /** {@code --history-wait}: how long the add waits for another writer before queueing the run. Default 10 s. */
        public Run historyWait(Duration wait) {
            this.history = history.waiting(Objects.requireNonNull(wait, "wait"));
            return this;
        }

        /** Hears each {@code cache_control} and pricing lint warning before anything is sent. Default: no lint. */
        public Run lint(Consumer<LintWarning> lint) {
            this.lint = lint;
            return this;
        }

        /** Lets another thread end the run early ({@link RunStop#request}), as Ctrl-C ends {@code sonde run}. */
        public Run stop(RunStop stop) {
            this.stop = Objects.requireNonNull(stop, "stop");
            return this;
        }

        /** The options this run gives the session. */
        public SuiteSession.Options options() {
            return new SuiteSession.Options(suiteFile, endpoint, outDir, concurrency, pricing, workDir, env, listener,
                    clock, null, updateBaseline, shard, batch, cache, allowEndpoints, allowKeyEnvs, repeat, null, only,
                    history);
        }

        /**
         * The suite's plan, with nothing sent: every trial (case × model × repeat) a run would send.
         *
         * @throws SuiteException a bad suite file, with {@code file:line:column}
         * @throws SuiteSession.SetupException a bad {@link #repeat}
         */
        public SuiteSession.Planned plan() throws SuiteException, SuiteSession.SetupException, IOException {
            return SuiteSession.plan(suiteFile, repeat);
        }

        /**
         * Runs the suite to its outputs: a {@link SuiteSession.Evaluated} (or a {@link SuiteSession.Benchmarked}
         * for a suite with {@code load:}), whatever its verdict.
         *
         * @throws SuiteException a bad suite file (the command line exits 2), with {@code file:line:column}
         * @throws SuiteSession.SetupException bad settings or environment, before anything is sent:
         *     {@link SuiteSession.SetupException#exitCode()} is 2 or 3
         * @throws RunAborted the run stopped (a rejected key, the budget spent, {@link #stop}); its partial
         *     reports are written
         * @throws IOException the run folder or an output could not be written
         * @throws InterruptedException the calling thread was interrupted
         */
        public SuiteSession.Outcome run()
                throws SuiteException, SuiteSession.SetupException, RunAborted, IOException, InterruptedException {
            return SuiteSession.run(options(), lint, stop);
        }
    }
}
