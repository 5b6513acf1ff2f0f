package dev.sonde.session;

import dev.sonde.suite.LoadSpec;
import dev.sonde.api.BatchClient;
import dev.sonde.metrics.ModelPrice;
import dev.sonde.metrics.Version;
import dev.sonde.metrics.PriceKey;
import dev.sonde.metrics.VirtualClock;
import dev.sonde.api.AnthropicClient;
import dev.sonde.api.ApiKey;
import dev.sonde.api.EndpointPolicy;
import dev.sonde.api.OpenAiChatClient;
import dev.sonde.api.Provider;
import dev.sonde.api.SecretMask;
import dev.sonde.analysis.JournalPass;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.baseline.Baselines;
import dev.sonde.baseline.BenchmarkBaseline;
import dev.sonde.baseline.BenchmarkComparison;
import dev.sonde.baseline.BenchmarkDigest;
import dev.sonde.analysis.TrialFold;
import dev.sonde.baseline.PlannedPairs;
import dev.sonde.baseline.Comparison;
import dev.sonde.migration.ModelComparison;
import dev.sonde.analysis.RunVerdict;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.RunLock;
import dev.sonde.journal.SequenceManifest;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.report.Reports;
import dev.sonde.run.CompareSpend;
import dev.sonde.run.LoadRunner;
import dev.sonde.run.RepeatAware;
import dev.sonde.run.RunAborted;
import dev.sonde.run.RunResult;
import dev.sonde.run.RunStop;
import dev.sonde.run.Runner;
import dev.sonde.run.TrialListener;
import dev.sonde.suite.EmulatorSpec;
import dev.sonde.check.CheckSet;
import dev.sonde.check.CompareCheck;
import dev.sonde.check.CompareChecks;
import dev.sonde.check.Grader;
import dev.sonde.check.Graders;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.analysis.ComparePass;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.CaseSpec;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Shards;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.Trial;
import dev.sonde.suite.lint.LintWarning;
import java.util.function.Consumer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One suite run from file to reports: load and validate the suite, pick the endpoint (the
 * embedded emulator unless a URL is given by {@code --endpoint} or the suite), run the plan,
 * write every output. Shared by {@code sonde run} and the Maven gate so both do exactly the same.
 */
public final class SuiteSession {
    /** The key sent to the embedded emulator: a user's real key never leaves for a local server. */
    static final String EMULATOR_KEY = "sonde-emulator-local";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * @param endpoint {@code --endpoint}: "emulator", a base URL, or null for the suite's choice
     * @param outDir null for {@code reports/runs/<suite>-<timestamp>} under {@code workDir}
     * @param concurrency null for the suite's {@code run.concurrency}
     * @param pricing a pricing file extending the built-in table (and the suite's), or null
     * @param env the process environment; a {@code .env} file in {@code workDir} adds to it
     * @param resume a run folder whose journal to continue, or null for a new run
     * @param updateBaseline write this run as the suite's baseline after comparing with the old one
     * @param shard run only this shard's trials ({@code --shard k/n}), or null for all
     * @param batch send the plan through Message Batches ({@code --batch}; also the suite's {@code run.mode})
     * @param cache replay identical requests from {@code .sonde-cache/} under {@code workDir}, store new answers there
     * @param allowEndpoints {@code --allow-endpoint}: hosts a suite may send keys to beyond the official ones and
     *     loopback ({@link EndpointPolicy}; {@code SONDE_ALLOWED_ENDPOINTS} in {@code env} adds to them)
     * @param allowKeyEnvs {@code --allow-key-env}: variables a suite may name as {@code api_key_env} beyond {@code *_API_KEY}
     * @param repeat {@code --repeat}: repeats of each case × model instead of the suite's {@code run.repeat}
     *     ({@link Plan#repeated}), or null for the suite's
     * @param record {@code --record}: the file every live answer is written to as emulator rules ({@link Recorder}), or null
     * @param only the ids ({@link Trial#id()}) of the plan's trials to run, or null for all (after {@code shard}): what
     *     an IDE or the JUnit engine selects. A selected trial of a cache variant's sequence brings its whole
     *     sequence (warm-up and every request: its cache state is one story, as a shard keeps it whole), so the
     *     run may hold more trials than were selected. A selected part is judged against the baseline on its own
     *     case × model pairs, as a shard is; an id not in the plan, and a selection with resume, record or a
     *     baseline update, are refused before anything is sent
     * @param history whether the finished run adds itself to the run history store ({@code --history},
     *     {@code --no-history}, {@code --history-wait}) over the suite's {@code history:}; null is
     *     {@link HistorySetting#AS_SUITE}
     */
    public record Options(Path suiteFile, String endpoint, Path outDir, Integer concurrency, Path pricing,
            Path workDir, Map<String, String> env, TrialListener listener, Clock clock, Path resume,
            boolean updateBaseline, Shards.Shard shard, boolean batch, boolean cache, List<String> allowEndpoints,
            List<String> allowKeyEnvs, Integer repeat, Path record, Set<String> only, HistorySetting history) {

        /** Copies both allow-lists and the selection unmodifiable; a null allow-list becomes empty. */
        public Options {
            allowEndpoints = allowEndpoints == null ? List.of() : List.copyOf(allowEndpoints);
            allowKeyEnvs = allowKeyEnvs == null ? List.of() : List.copyOf(allowKeyEnvs);
            only = only == null ? null : Set.copyOf(only);
            history = history == null ? HistorySetting.AS_SUITE : history;
        }

        /** As the canonical constructor, the suite's {@code history:} deciding. */
        public Options(Path suiteFile, String endpoint, Path outDir, Integer concurrency, Path pricing,
                Path workDir, Map<String, String> env, TrialListener listener, Clock clock, Path resume,
                boolean updateBaseline, Shards.Shard shard, boolean batch, boolean cache, List<String> allowEndpoints,
                List<String> allowKeyEnvs, Integer repeat, Path record, Set<String> only) {
            this(suiteFile, endpoint, outDir, concurrency, pricing, workDir, env, listener, clock, resume, updateBaseline,
                    shard, batch, cache, allowEndpoints, allowKeyEnvs, repeat, record, only, null);
        }

        /** These options with {@code setting} for the run history store. */
        public Options history(HistorySetting setting) {
            return new Options(suiteFile, endpoint, outDir, concurrency, pricing, workDir, env, listener, clock, resume,
                    updateBaseline, shard, batch, cache, allowEndpoints, allowKeyEnvs, repeat, record, only, setting);
        }

        /** As the canonical constructor, running every trial of the plan (or of the shard). */
        public Options(Path suiteFile, String endpoint, Path outDir, Integer concurrency, Path pricing,
                Path workDir, Map<String, String> env, TrialListener listener, Clock clock, Path resume,
                boolean updateBaseline, Shards.Shard shard, boolean batch, boolean cache, List<String> allowEndpoints,
                List<String> allowKeyEnvs, Integer repeat, Path record) {
            this(suiteFile, endpoint, outDir, concurrency, pricing, workDir, env, listener, clock, resume, updateBaseline,
                    shard, batch, cache, allowEndpoints, allowKeyEnvs, repeat, record, null);
        }

        /** These options, running only the plan's trials with these ids ({@link #only()}). */
        public Options only(Set<String> trialIds) {
            return new Options(suiteFile, endpoint, outDir, concurrency, pricing, workDir, env, listener, clock, resume,
                    updateBaseline, shard, batch, cache, allowEndpoints, allowKeyEnvs, repeat, record, trialIds, history);
        }

        /** As the canonical constructor, with the suite's own {@code run.repeat}, recording nothing. */
        public Options(Path suiteFile, String endpoint, Path outDir, Integer concurrency, Path pricing,
                Path workDir, Map<String, String> env, TrialListener listener, Clock clock, Path resume,
                boolean updateBaseline, Shards.Shard shard, boolean batch, boolean cache, List<String> allowEndpoints,
                List<String> allowKeyEnvs) {
            this(suiteFile, endpoint, outDir, concurrency, pricing, workDir, env, listener, clock, resume, updateBaseline,
                    shard, batch, cache, allowEndpoints, allowKeyEnvs, null, null);
        }

        /** A new, unsharded run with no resume, baseline update, batch, cache or extra allowances. */
        public Options(Path suiteFile, String endpoint, Path outDir, Integer concurrency, Path pricing, Path workDir,
                Map<String, String> env, TrialListener listener, Clock clock) {
            this(suiteFile, endpoint, outDir, concurrency, pricing, workDir, env, listener, clock, null, false, null, false,
                    false, List.of(), List.of());
        }
    }

    /**
     * How a suite's run ended, once it got to its end (whatever its verdict): an evaluation with
     * verdicts and outputs, or a benchmark with its steps. Either way {@link #analysis()} is what the
     * run's one pass over its journal learnt, which every output took.
     */
    public sealed interface Outcome permits Evaluated, Benchmarked {
        /** What the run's one pass over its journal learnt. */
        RunAnalysis analysis();

        /** Whether the command exits 0. */
        boolean passed();
    }

    /**
     * An evaluation that finished: the run, its comparison with the suite's baseline, its model
     * comparison (null without {@code compare:}), where its outputs are, the file
     * {@code --update-baseline} wrote (or null), and what its add to the run history store came to
     * (null when it adds itself to none).
     */
    public record Evaluated(RunResult result, Comparison comparison, Reports.Outputs outputs, Path baselineWritten,
            ModelComparison models, RunAnalysis analysis, HistoryResult history) implements Outcome {

        /** This outcome with what the run's add to the history store came to. */
        Evaluated withHistory(HistoryResult added) {
            return new Evaluated(result, comparison, outputs, baselineWritten, models, analysis, added);
        }

        /**
         * Every trial passed and every baseline gate held: exit 0. In a suite with {@code compare:} a
         * failed check is what the comparison measures, so there it is enough that every trial ran
         * without an exchange error ({@link RunVerdict#COMPARED}); the recommendation itself never
         * changes the exit code.
         */
        @Override
        public boolean passed() {
            return verdict().ok() && (baselineWritten != null || comparison.verdict().passed());
        }

        /** The run's one-word verdict, gates aside. */
        public RunVerdict verdict() {
            return RunVerdict.of(analysis.summary(), result, models != null);
        }
    }

    /**
     * A benchmark ({@code load:}) that ran its steps, as the run recorded itself at its start
     * ({@code info}: live or emulator, endpoint, models, start, commit, seed), with the SLO its goodput was
     * counted under, its per-step comparison with the suite's baseline, and the file
     * {@code --update-baseline} wrote (or null).
     */
    public record Benchmarked(LoadRunner.LoadResult load, RunAnalysis analysis, RunInfo info,
            LoadSpec.Slo slo, BenchmarkComparison baseline, Path baselineWritten) implements Outcome {
        /**
         * Whether every step held its {@code max_error_rate} and every baseline gate held (a run that
         * wrote the baseline with {@code --update-baseline} is not failed by the one it replaced; a
         * re-rendered or merged run, {@code baseline} null, is judged by its steps).
         */
        @Override
        public boolean passed() {
            return load.passed() && (baseline == null || baselineWritten != null || baseline.verdict().passed());
        }
    }

    /**
     * An evaluation that stopped before its end (key rejected, budget spent, a signal): the
     * {@link RunAborted} it ended with, every report of the partial run written, and the analysis
     * those reports took their numbers from, for the console's summary of what ran.
     */
    public static final class Stopped extends RunAborted {
        private final transient RunAnalysis analysis;
        private final transient Reports.Outputs outputs;

        private final transient HistoryResult history;

        Stopped(RunAborted aborted, RunAnalysis analysis, Reports.Outputs outputs, HistoryResult history) {
            super(aborted.getMessage(), aborted.partial(), aborted.spentLimit().orElse(null));
            initCause(aborted);
            this.analysis = analysis;
            this.outputs = outputs;
            this.history = history;
        }

        /** What the partial run's add to the run history store came to; null without a store. */
        public HistoryResult history() {
            return history;
        }

        /** What the partial run's one pass over its journal learnt. */
        public RunAnalysis analysis() {
            return analysis;
        }

        /** The reports written of the partial run (and any that could not be). */
        public Reports.Outputs outputs() {
            return outputs;
        }
    }

    /** The run could not start: bad arguments or environment (exit 2 or 3). Message is one line. */
    public static final class SetupException extends Exception {
        private final int exitCode;

        /** Exit code of a bad argument or environment. */
        public static final int BAD_INPUT = 2;

        /** @param exitCode 2 (bad input) or 3 (a key or endpoint that cannot be used) */
        public SetupException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        /** The process exit code to end with: 2 (bad input) or 3 (a key or endpoint that cannot be used). */
        public int exitCode() {
            return exitCode;
        }
    }

    private SuiteSession() {}

    /**
     * A run's id, which also names its default folder: {@code <suite>-<yyyyMMdd-HHmmss UTC>}, then
     * {@code -shard-k-of-n} for a shard and {@code -part} for a selection ({@link Options#only}).
     */
    public static String runId(String suiteName, java.time.Instant at, Shards.Shard shard, boolean part) {
        return suiteName + "-" + STAMP.format(at)
                + (shard == null ? "" : "-shard-" + shard.index() + "-of-" + shard.count())
                + (part ? "-part" : "");
    }

    /**
     * A suite's plan as a run of it would expand it, with nothing sent and no folder made: what a test
     * engine lists before it runs anything.
     *
     * @param suite the loaded suite (with {@code repeat} applied)
     * @param trials every trial of the plan, in plan order
     */
    public record Planned(Suite suite, List<Trial> trials) {
        public Planned {
            trials = List.copyOf(trials);
        }

        /** Whether the suite is a benchmark ({@code load:}): its plan is a load, not trials judged one by one. */
        public boolean benchmark() {
            return suite.load() != null;
        }
    }

    /**
     * Loads {@code suiteFile} and expands its plan as {@link #run} would (one parse, every suite check),
     * sending nothing.
     *
     * @param repeat as {@link Options#repeat()}: null for the suite's own {@code run.repeat}
     * @throws SuiteException a bad suite, with {@code file:line:column}
     * @throws SetupException a bad {@code repeat} (exit 2)
     */
    public static Planned plan(Path suiteFile, Integer repeat) throws SuiteException, SetupException, IOException {
        Suite suite = SuiteLoader.read(suiteFile).suite();
        if (repeat != null) {
            try {
                suite = Plan.repeated(suite, repeat);
            } catch (IllegalArgumentException e) {
                throw new SetupException(2, e.getMessage());
            }
        }
        return new Planned(suite, Plan.expand(suite));
    }

    /** As {@link #run(Options, Consumer)}, without the cache lint. */
    public static Outcome run(Options o)
            throws SuiteException, SetupException, RunAborted, IOException, InterruptedException {
        return run(o, null);
    }

    /**
     * Runs a suite from its file to its outputs: loads and validates it (one parse), lints its
     * {@code cache_control} breakpoints, checks where keys may go, runs the plan, then learns
     * everything after the run from one pass over the journal and writes every output.
     *
     * @param lint hears each lint warning (caching, unpriced model ids: {@link Lint}) before anything is sent; null skips the lint
     * @throws SuiteException a bad suite (exit 2), with {@code file:line:column}
     * @throws SetupException bad arguments or environment (exit 2 or 3), or a run folder another
     *     command is writing ({@link RunLock}: it is held from before the folder's journal is looked at
     *     until the last output is written), one line
     * @throws RunAborted the run stopped (key rejected, budget spent…); its partial outputs are written
     *     (a {@link Stopped}, with their analysis)
     */
    public static Outcome run(Options o, Consumer<LintWarning> lint)
            throws SuiteException, SetupException, RunAborted, IOException, InterruptedException {
        return run(o, lint, new RunStop());
    }

    /**
     * As {@link #run(Options, Consumer)}, and {@code stop} ends the run from outside (Ctrl-C, SIGTERM):
     * nothing more is sent, the requests in flight are cancelled and their trials journaled as
     * skipped, and the run ends as a budget stop does ({@link RunAborted}, every report of the partial
     * run written); a benchmark returns with the steps it ran.
     *
     * @param stop asked from outside the run (a signal handler); a stop asked before the run begins
     *     ends it at once
     */
    public static Outcome run(Options o, Consumer<LintWarning> lint, RunStop stop)
            throws SuiteException, SetupException, RunAborted, IOException, InterruptedException {
        return run(o, lint, stop, null);
    }

    /**
     * As {@link #run(Options, Consumer, RunStop)}; with a run history store, {@code finished} hears the
     * finished run, its outputs written, before it adds itself to the store (so a console prints the
     * verdict before the add waits for the store), and a stop asked during the add ends its wait: the
     * run is kept, and its {@link Evaluated#history()} line says where. A run that stopped early is
     * added too ({@link Stopped#history()}), as {@code sonde history import} adds it.
     *
     * @param finished null when nothing is to be told before the add
     */
    public static Outcome run(Options o, Consumer<LintWarning> lint, RunStop stop, Consumer<Evaluated> finished)
            throws SuiteException, SetupException, RunAborted, IOException, InterruptedException {
        SuiteLoader.Loaded loaded = SuiteLoader.read(o.suiteFile());
        Suite suite = loaded.suite();
        if (o.repeat() != null) {
            try {
                suite = Plan.repeated(suite, o.repeat());
            } catch (IllegalArgumentException e) {
                throw new SetupException(2, e.getMessage());
            }
        }
        for (CaseSpec c : suite.casesForChecks()) {
            CompareChecks.refuse(suite, c); // a compare assertion that cannot be judged costs nothing
        }
        PricingTable pricing = pricing(suite, o.pricing());
        if (lint != null) {
            Lint.report(suite, loaded.source(), o.endpoint(), pricing).warnings().forEach(lint);
        }
        // a bad gate setting, or a benchmark baseline of another load, is refused before anything is sent
        BenchmarkBaseline benchmarkBase = null;
        if (suite.load() != null) {
            Baselines.benchmarkGates(suite);
            try {
                benchmarkBase = Baselines.benchmarkBaseline(suite);
            } catch (Baselines.Refused refused) {
                if (!o.updateBaseline()) {
                    throw new SetupException(2, refused.getMessage());
                }
            }
        } else {
            Baselines.gates(suite);
        }
        List<Trial> plan = Plan.expand(suite);
        List<Trial> trials = selected(o, suite, o.shard() == null ? plan : Shards.select(plan, o.shard()), plan);
        int concurrency = o.concurrency() != null ? o.concurrency() : suite.run().concurrency();
        if (concurrency < 1) {
            throw new SetupException(2, "--concurrency must be at least 1");
        }
        checkRecord(o, suite);
        if (o.batch()) {
            Optional<String> batch = PlatformChecks.batchRefusal(suite);
            if (batch.isPresent()) {
                throw new SetupException(2, batch.get());
            }
        }
        SessionHistory history = SessionHistory.resolve(o, suite); // a build without the store sends nothing
        String runId = runId(suite.name(), o.clock().now(), o.shard(), o.only() != null);
        Path outDir;
        String folder;
        if (o.resume() != null) {
            outDir = o.resume();
            folder = "--resume " + outDir;
            if (!Files.isRegularFile(outDir.resolve("trials.jsonl"))) {
                throw new SetupException(2, folder + ": no trials.jsonl there to resume");
            }
        } else {
            outDir = o.outDir() != null ? o.outDir() : o.workDir().resolve("reports/runs").resolve(runId);
            folder = o.outDir() != null ? "--out " + outDir : outDir.toString();
            makeOutputFolder(outDir, o.outDir() != null);
        }
        try (RunLock lock = lock(outDir, folder)) {
            if (o.resume() == null && Files.exists(outDir.resolve("trials.jsonl"))) {
                throw new SetupException(2, outDir + " already holds a run (trials.jsonl): choose another --out, "
                        + "or --resume it");
            }
            Path runFolder = outDir;
            BenchmarkBaseline base = benchmarkBase;
            Suite planned = suite;
            return recording(o, suite, recorder -> run(o, planned, plan, trials, pricing, concurrency, runId, runFolder,
                    stop, base, history, finished, recorder));
        }
    }

    /**
     * {@code --record} with what cannot be recorded is refused before anything is sent: answers replayed
     * from {@code --cache} or fetched by Message Batches are not exchanges of this run, a benchmark's
     * requests are a load, a resumed run would record only its rest, a shard would replace the whole
     * file with its part (and shards run in parallel would race for it), a folder is not a file, a run
     * wholly on the emulator has no live answer, and chat-completions answers do not replay.
     */
    private static void checkRecord(Options o, Suite suite) throws SetupException {
        if (o.record() == null) {
            return;
        }
        String refusal = o.cache() ? "answers replayed from --cache are not sent, so they cannot be recorded"
                : o.batch() || suite.run().batch() ? "Message Batches answers are not timed, so they cannot be replayed"
                : suite.load() != null ? "a benchmark (load:) is measured, not recorded: record an evaluation suite"
                : o.resume() != null ? "a resumed run would record only the trials it has left: record a whole run"
                : o.shard() != null ? "a shard would record only its part, and replace the whole file with it: record "
                        + "an unsharded run"
                : Files.isDirectory(o.record()) ? o.record() + " is a folder: name the rules file to write"
                : suite.models().stream().allMatch(m -> Routes.endpointOf(suite, m, o.endpoint()).equals(Routes.EMULATOR))
                ? "every model runs on the emulator, so there is nothing to record: record against a live endpoint "
                        + "(--endpoint URL)"
                : suite.models().stream().filter(m -> m.openAiChat()
                        && !Routes.endpointOf(suite, m, o.endpoint()).equals(Routes.EMULATOR)).findFirst()
                        .map(m -> "model " + m.id() + " speaks chat completions; recorded answers replay through the "
                                + "emulator's Messages API only")
                        .or(() -> suite.models().stream()
                                .filter(m -> !Routes.endpointOf(suite, m, o.endpoint()).equals(Routes.EMULATOR))
                                .map(PlatformChecks::recordRefusal).flatMap(Optional::stream).findFirst())
                        .orElse(null);
        if (refusal != null) {
            throw new SetupException(2, "--record: " + refusal);
        }
    }

    /** Takes the run folder's lock: held by another command, or not lockable, is one line and exit 2. */
    private static RunLock lock(Path outDir, String folder) throws SetupException {
        try {
            return RunLock.acquire(outDir, folder);
        } catch (RunLock.Held | IOException e) {
            throw new SetupException(2, e.getMessage());
        }
    }

    /**
     * The run itself, in its locked folder: endpoints, the emulator, the plan sent, every output.
     *
     * @param benchmarkBase a benchmark's baseline, read before the run; null for none (or an evaluation)
     */
    private static Outcome run(Options o, Suite suite, List<Trial> plan, List<Trial> trials, PricingTable pricing,
            int concurrency, String runId, Path outDir, RunStop stop, BenchmarkBaseline benchmarkBase,
            SessionHistory history, Consumer<Evaluated> finished, RecorderStart recording)
            throws SuiteException, SetupException, RunAborted, IOException, InterruptedException {
        List<RunInfo.ModelRef> models = suite.models().stream().map(SuiteSession::modelRef).toList();
        Routes routes = Routes.resolve(suite, o.endpoint(), o.allowEndpoints(), o.allowKeyEnvs(),
                new Secrets(o.env(), o.workDir()));
        Map<String, String> endpoints = routes.endpoints();
        Map<String, ApiKey> keys = routes.keys();
        // a platform's credentials, all read before anything is sent; every value joins the mask
        PlatformProviders platforms = PlatformProviders.resolve(suite, endpoints,
                PlatformProviders.environment(o.env(), o.workDir()));
        SecretMask mask = platforms.mask(routes.mask());
        boolean needsEmulator = routes.needsEmulator();
        boolean live = routes.live();
        Set<String> distinct = routes.distinct();
        String endpointLabel = routes.label();
        // cache variants offline: inter-arrival gaps are skipped on a clock the emulator's cache TTLs share
        VirtualClock virtual = !suite.variants().isEmpty() && !live
                ? new VirtualClock(o.clock()) : null;
        Emulator emulator = needsEmulator ? startEmulator(suite.emulator(), o, virtual != null ? virtual : o.clock()) : null;
        Map<String, Provider> providers = new HashMap<>();
        Recorder recorder = recording.start(endpointLabel, mask);
        try {
            for (ModelSpec m : suite.models()) {
                String e = endpoints.get(m.id());
                URI base = e.equals("emulator") ? emulator.baseUri() : URI.create(e);
                ApiKey key = e.equals("emulator") ? ApiKey.of(EMULATOR_KEY) : keys.get(m.id());
                Duration connect = suite.run().connectTimeout();
                Provider provider = m.platform()
                        ? platforms.open(m, base, e.equals("emulator") ? emulator.config().credentials() : null, mask,
                                o.clock(), connect)
                        : m.openAiChat() ? new OpenAiChatClient(base, key, mask, o.clock(), connect)
                        : new AnthropicClient(base, key, mask, o.clock(), connect);
                if (e.equals("emulator")) {
                    provider = RepeatAware.of(provider); // the k-th repeat gets the k-th recorded answer
                } else if (recorder != null) {
                    provider = recorder.recording(m.id(), provider);
                }
                providers.put(m.id(), provider);
            }
            RunInfo started = new RunInfo(suite.name(), suite.file().toString(), runId,
                    live && distinct.size() == 1 ? providers.values().iterator().next().endpoint() : endpointLabel, live,
                    o.clock().now(), null, 0, 0, 0, models, null, Version.current(), Runtime.version().toString(),
                    needsEmulator ? suite.emulator().seed() : null,
                    Reports.gitCommitOf(suite.file().toAbsolutePath().getParent()));
            RunInfo meta = planned(Plan.digest(suite, plan), suite, pricing, started)
                    .withShard(o.shard() == null ? null : new RunInfo.Shard(o.shard().index(), o.shard().count()))
                    .withRepeat(suite.load() == null ? suite.run().repeat() : null)
                    .withPart(o.only() != null);
            record(meta, o.resume() != null, outDir);
            // the last thing before a live run's first request: where it goes, what it may cost, which key pays
            LiveBanner.lines(suite, routes, trials, platforms).forEach(o.listener()::announce);
            PlatformChecks.notes(suite).forEach(o.listener()::announce);
            OldGeneration.compactAfterPhase(trials.size()); // the load's working set is garbage now
            if (suite.load() != null) {
                try {
                    new LoadRunner(t -> providers.get(t.model().id()), o.clock(), o.listener(), pricing).withStop(stop)
                            .run(suite, trials, outDir);
                } catch (LoadRunner.ProbeRefused refused) { // a bad key costs one request, as in an eval run
                    throw new SetupException(3, refused.getMessage());
                }
                // a stopped benchmark's steps are partial: never compared, never a baseline
                return benchmark(suite, meta, outDir, pricing, benchmarkBase, o.updateBaseline(), stop.reason());
            }
            SessionGraders graders = new SessionGraders(suite, providers, pricing, o.clock());
            Runner runner = new Runner(t -> providers.get(t.model().id()), pricing, o.clock(), o.listener())
                    .withGraders(graders).withStop(stop);
            ComparePass compare = comparePass(suite, graders);
            if (o.cache()) {
                runner.withResponseCache(o.workDir().resolve(".sonde-cache"));
            }
            if (virtual != null) {
                runner.withVirtualTime(virtual);
            }
            if (o.batch() && !suite.variants().isEmpty()) {
                throw new SetupException(2, "--batch: cache variants need timed requests, which batches cannot send");
            }
            if (o.batch() || suite.run().batch()) {
                if (distinct.size() != 1 || suite.models().stream().anyMatch(ModelSpec::openAiChat)) {
                    throw new SetupException(2, "batch mode needs every model on one Anthropic endpoint");
                }
                ModelSpec any = suite.models().get(0);
                String e = endpoints.get(any.id());
                BatchClient batches = new BatchClient(
                        e.equals("emulator") ? emulator.baseUri() : URI.create(e),
                        e.equals("emulator") ? ApiKey.of(EMULATOR_KEY) : keys.get(any.id()), mask, o.clock(),
                        suite.run().connectTimeout());
                return evaluate(suite, trials, meta, outDir, o.updateBaseline(), pricing, shardPairs(o, plan, trials),
                        compare, stop, o.listener(), new ToHistory(history, mask, finished),
                        tap -> runner.runBatch(suite, trials, meta, outDir, batches, tap));
            }
            if (!suite.variants().isEmpty()) {
                // with run.json, what the run is at its start: the analysis, begun before the first
                // request, learns the variants from it (the runner writes the same file again)
                SequenceManifest.of(suite, virtual != null).write(outDir);
            }
            return evaluate(suite, trials, meta, outDir, o.updateBaseline(), pricing, shardPairs(o, plan, trials),
                    compare, stop, o.listener(), new ToHistory(history, mask, finished),
                    tap -> runner.run(suite, trials, concurrency, meta, outDir, tap));
        } catch (RunAborted aborted) {
            Reports.Written written = Reports.writeWith(aborted.partial(), null, null,
                    EnumSet.allOf(Reports.Format.class));
            // a run that wrote its outputs is recorded, a stopped one with its stopped_by, as an import records it
            HistoryResult recorded = history == null ? null
                    : history.addStopped(outDir, mask, stop.requested() ? null : stop);
            throw new Stopped(aborted, written.analysis(), written.outputs(), recorded);
        } finally {
            providers.values().forEach(Provider::close); // else the JVM's exit waits 300 ms on their threads
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    /** The run in its folder, handed how to start its {@code --record} recorder once its endpoints are known. */
    @FunctionalInterface
    private interface RecordedRun {
        Outcome run(RecorderStart recording) throws SuiteException, SetupException, RunAborted, IOException,
                InterruptedException;
    }

    /** Starts {@code --record}'s recorder (none without it) once the run knows its endpoints and mask. */
    private static final class RecorderStart {
        private final Options o;
        private final Suite suite;
        private Recorder recorder;

        RecorderStart(Options o, Suite suite) {
            this.o = o;
            this.suite = suite;
        }

        Recorder start(String endpointLabel, SecretMask mask) {
            if (o.record() != null) {
                recorder = new Recorder(o.record(), "Recorded by `sonde run " + suite.file() + " --record` from "
                        + endpointLabel + ": one rule per answer, in the order they arrived.\nList this file in the "
                        + "suite's emulator.rules to replay them offline; format: fixtures/emulator/README.md.", mask);
            }
            return recorder;
        }
    }

    /**
     * {@code run}, then what {@code --record} kept put in place — also after a stop: what was recorded
     * is kept. A file that cannot be written is one line on the console, with {@code -q} too
     * ({@code --record FILE: cannot write it (…)}); it never takes the place of the run's own end: a stopped run still ends stopped
     * (the write's failure attached to it as suppressed), a finished one still returns its outcome. A
     * run that recorded nothing (it failed before an answer came) leaves an earlier recording as it was.
     */
    private static Outcome recording(Options o, Suite suite, RecordedRun run)
            throws SuiteException, SetupException, RunAborted, IOException, InterruptedException {
        RecorderStart recording = new RecorderStart(o, suite);
        Outcome outcome;
        try {
            outcome = run.run(recording);
        } catch (Throwable t) {
            SetupException unwritten = writeRecording(recording.recorder, o);
            if (unwritten != null) {
                t.addSuppressed(unwritten);
            }
            throw t;
        }
        writeRecording(recording.recorder, o);
        return outcome;
    }

    /** Puts what {@code --record} kept in place and says so; the failure to, said too, or null. */
    private static SetupException writeRecording(Recorder recorder, Options o) {
        if (recorder == null) {
            return null;
        }
        try {
            o.listener().note("--record: " + recorder.finish());
            return null;
        } catch (IOException e) {
            SetupException unwritten = new SetupException(2, "--record " + o.record() + ": cannot write it ("
                    + e.getMessage() + ")");
            o.listener().announce(unwritten.getMessage()); // shown with -q too: the file asked for is not there
            return unwritten;
        }
    }

    /** A way to run the plan that hands each journaled trial to a tap ({@link Runner#run} or {@link Runner#runBatch}). */
    @FunctionalInterface
    private interface Sending {
        RunResult send(Consumer<TrialResult> tap) throws SuiteException, IOException, InterruptedException, RunAborted;
    }

    /** The run's history store (null for none), the mask its rows pass and who hears the run before its add (or null). */
    private record ToHistory(SessionHistory history, SecretMask mask, Consumer<Evaluated> finished) {}

    /**
     * Runs the plan with everything after it learning from each trial as the journal takes it, so
     * that once the last trial is in only the verdict and the writing are left; then, with a history
     * store, the run adds itself to it.
     */
    private static Evaluated evaluate(Suite suite, List<Trial> trials, RunInfo meta, Path outDir, boolean updateBaseline,
            PricingTable pricing, PlannedPairs planned, ComparePass compare, RunStop stop, TrialListener listener,
            ToHistory toHistory, Sending sending)
            throws SuiteException, IOException, InterruptedException, RunAborted, SetupException {
        AfterRun after = AfterRun.begin(suite, trials, meta, outDir, updateBaseline, pricing, planned);
        SessionHistory history = toHistory.history();
        List<TrialFold> folds = after.folds();
        try {
            after.requireReadableBaseline();
            if (history != null) {
                history.begin(outDir, toHistory.mask());
                folds = history.with(folds);
            }
        } catch (SetupException | IOException e) {
            after.abort(e);
            if (history != null) {
                history.abort();
            }
            throw e;
        }
        // with compare assertions the verdicts are known only after the compare pass: the one pass
        // over the journal comes after it, not during the run
        JournalPass.Live live = JournalPass.live(compare == null ? folds : List.of());
        RunResult result;
        JournalPass.Result read;
        try {
            result = sending.send(live::add);
            if (compare == null) {
                read = live.result();
            } else {
                ComparePass.Result judged;
                try (CompareSpend spend = CompareSpend.open(suite.budget(), outDir)) {
                    judged = compare.run(outDir, stop::reason, spend);
                    judged.lines().forEach(listener::note);
                    spend.summary().ifPresent(line -> listener.note("after the compare pass, " + line));
                }
                if (judged.stopped() != null) { // verdicts judged so far are kept; --resume judges the rest
                    throw new RunAborted(judged.stopped(), result);
                }
                read = JournalPass.run(result.journal(), folds);
            }
        } catch (RunAborted e) {
            after.abort(e); // its partial outputs are written next, and then it is recorded
            throw e;
        } catch (SuiteException | IOException | InterruptedException | RuntimeException e) {
            after.abort(e);
            if (history != null) {
                history.abort();
                listener.announce("history: NOT recorded: the run failed before its outputs were written; --resume "
                        + outDir + " with --history records it once it finishes");
            }
            throw e;
        }
        OldGeneration.compactAfterPhase(trials.size()); // and so is the requests'
        Evaluated evaluated;
        try {
            evaluated = after.complete(result, read);
        } catch (SuiteException | IOException | RuntimeException e) {
            if (history != null) {
                history.abort();
            }
            throw e;
        }
        if (history == null) {
            return evaluated;
        }
        // a stop asked once the run has ended (here, or while the verdict is told) ends only the add's wait
        boolean stoppedBefore = stop.requested();
        if (toHistory.finished() != null) {
            toHistory.finished().accept(evaluated);
        }
        return evaluated.withHistory(history.add(outDir, toHistory.mask(), read, stoppedBefore ? null : stop));
    }

    /** Graders for a command that calls no API: named as resolved, never asked ({@link ComparePass#withoutGrader}). */
    private static final Graders NO_GRADER = (model, params) -> new Grader() {
        @Override
        public String model() {
            return model != null ? model : "the suite's grader";
        }

        @Override
        public Reply ask(String system, String prompt, ObjectNode schema) {
            throw new IllegalStateException("this command asks no grader");
        }
    };

    /**
     * The compare pass of a suite with {@code select-best} or {@code max-score}, its cases' checks built
     * as the run builds them (graders resolved, none asked); null for a suite without them.
     */
    static ComparePass comparePass(Suite suite, Graders graders) throws SuiteException {
        Map<String, ComparePass.Case> cases = new LinkedHashMap<>();
        Map<List<AssertSpec>, Map<Double, CheckSet>> built = new IdentityHashMap<>();
        if (suite.casesForChecks().stream().noneMatch(c -> c.asserts().stream()
                .anyMatch(a -> CompareCheck.TYPES.contains(a.type())))) {
            return null;
        }
        for (CaseSpec c : suite.cases()) {
            if (c.asserts().stream().noneMatch(a -> CompareCheck.TYPES.contains(a.type()))) {
                continue;
            }
            Map<Double, CheckSet> byThreshold = built.computeIfAbsent(c.asserts(), k -> new HashMap<>());
            CheckSet set = byThreshold.get(c.threshold());
            if (set == null) {
                set = CheckSet.create(c.asserts(), c.threshold(), graders);
                byThreshold.put(c.threshold(), set);
            }
            cases.put(c.id(), new ComparePass.Case(set, suite.models().stream().filter(c::runsOn).map(ModelSpec::id)
                    .toList()));
        }
        return new ComparePass(cases, suite.budget().maxUsd());
    }

    /** A shard's or a selection's pairs, which its baseline comparison is limited to; null for a run of the whole plan. */
    private static PlannedPairs shardPairs(Options o, List<Trial> plan, List<Trial> trials) {
        return o.shard() == null && o.only() == null ? null : PlannedPairs.of(trials, plan);
    }

    /**
     * The trials {@link Options#only()} selects of {@code share} (the plan or a shard of it), in plan
     * order, each selected trial of a cache variant's sequence with the rest of its sequence ({@link Trial#sequence()}:
     * a trial run alone would run cold); refused (exit 2) when an id is not in the plan, none is in the share, or
     * the run would resume, record or become the baseline, or the suite is a benchmark, which each need the whole plan.
     */
    private static List<Trial> selected(Options o, Suite suite, List<Trial> share, List<Trial> plan)
            throws SetupException {
        if (o.only() == null) {
            return share;
        }
        String whole = suite.load() != null ? "a benchmark (load:) runs its load whole"
                : o.resume() != null ? "--resume continues a run of its own plan"
                : o.record() != null ? "--record writes the whole plan's answers"
                : o.updateBaseline() ? "--update-baseline needs the whole plan" : null;
        if (whole != null) {
            throw new SetupException(2, whole + ": run it without selecting trials");
        }
        Set<String> ids = new HashSet<>();
        plan.forEach(t -> ids.add(t.id()));
        List<String> unknown = o.only().stream().filter(id -> !ids.contains(id)).sorted().limit(3).toList();
        if (!unknown.isEmpty()) {
            throw new SetupException(2, "no trial " + String.join(", ", unknown) + " in the plan of "
                    + o.suiteFile() + " (ids are case, model and repeat as the plan names them)");
        }
        Set<String> sequences = new HashSet<>();
        plan.stream().filter(t -> t.sequence() != null && o.only().contains(t.id()))
                .forEach(t -> sequences.add(t.sequence()));
        List<Trial> kept = share.stream().filter(t -> o.only().contains(t.id())
                || t.sequence() != null && sequences.contains(t.sequence())).toList();
        if (kept.isEmpty()) {
            throw new SetupException(2, "none of the selected trials is in " + (o.shard() == null ? "the plan"
                    : "shard " + o.shard()));
        }
        return kept;
    }

    /**
     * Makes the run's folder before anything is sent. A path that is a file, or lies under one, or
     * cannot be made is the user's input to fix: one line, exit 2, not an I/O failure of the run.
     */
    private static void makeOutputFolder(Path outDir, boolean given) throws SetupException {
        String name = (given ? "--out " : "the output folder ") + outDir;
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new SetupException(2, name + ": is a file, not a folder");
        }
        try {
            Files.createDirectories(outDir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new SetupException(2, name + ": " + e.getFile() + " is a file, not a folder");
        } catch (IOException e) {
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
            throw new SetupException(2, name + ": cannot make the folder (" + why + ")");
        }
    }

    private static Emulator startEmulator(EmulatorSpec spec, Options o, Clock clock) throws SetupException, IOException {
        Emulator emulator;
        try {
            emulator = Emulator.start(emulatorConfig(spec, clock, o.clock()));
        } catch (IllegalArgumentException e) { // a rules file the suite names: its file and field, one line
            throw new SetupException(SetupException.BAD_INPUT, e.getMessage());
        }
        o.listener().note("emulator on " + emulator.baseUri() + ", seed " + spec.seed());
        return emulator;
    }

    /**
     * A benchmark's steps and its baseline digest from one read of its journal, compared with
     * {@code base} step by step, written as its {@code results.json}, report and interval log
     * ({@link Benchmarks}); with {@code updateBaseline}, the run then becomes the suite's baseline.
     */
    private static Outcome benchmark(Suite suite, RunInfo meta, Path outDir, PricingTable pricing,
            BenchmarkBaseline base, boolean updateBaseline, String stopped) throws IOException, SuiteException {
        return Benchmarks.write(suite.name(), suite.file().toString(), suite.load(), meta, outDir, pricing, null,
                new Benchmarks.Baselining(suite, base, updateBaseline, stopped));
    }

    /**
     * Everything after the last trial of a finished run, from one read of its journal ({@code sonde
     * merge} on the merged journal): the run's analysis, the baseline digest, the model comparison's
     * cases and every report format learn from the same pass, then the comparison is judged and the
     * outputs written. The plan is the suite file's, repeated as the run recorded ({@link #asRun}).
     *
     * @param suite the run's suite, loaded again from its file
     * @param updateBaseline write the run as the suite's baseline after comparing with the old one
     * @param pricing the run's pricing table ({@link #pricing})
     * @throws SuiteException a bad gate setting in the suite
     * @throws SetupException the suite file as it is now cannot plan the run's repeat count (one line)
     * @throws IOException the journal or the baseline could not be read or written
     */
    public static Evaluated finish(Suite suite, RunResult result, boolean updateBaseline, PricingTable pricing)
            throws SuiteException, SetupException, IOException {
        Suite planned = asRun(suite, result.info());
        AfterRun after = AfterRun.begin(planned, Plan.expand(planned), result.info(), result.outDir(), updateBaseline,
                pricing);
        JournalPass.Result read;
        try {
            ComparePass compare = comparePass(planned, NO_GRADER);
            if (compare != null) { // shards judged their parts apart: judge the whole groups, asking no grader
                compare.withoutGrader().run(result.outDir());
            }
            read = JournalPass.run(result.journal(), after.folds());
        } catch (InterruptedException e) { // asks no grader, so nothing waits; kept for the signature
            Thread.currentThread().interrupt();
            after.abort(e);
            throw new IOException("interrupted while judging the compare groups", e);
        } catch (IOException | RuntimeException e) {
            after.abort(e); // no temporary file left behind
            throw e;
        }
        return after.complete(result, read);
    }

    /**
     * {@code suite}, loaded again from its file, as the run {@code info} planned it: each case × model
     * repeated as many times as the run recorded ({@code --repeat N} is not in the file), so each case
     * closes after the trials it had and the model comparison counts the repeats it ran. A run made
     * before the count was recorded repeated by the suite's own.
     *
     * @throws SetupException the suite file now refuses that count (it has gained {@code variants:} or
     *     {@code load:} since), one line
     */
    static Suite asRun(Suite suite, RunInfo info) throws SetupException {
        int repeat = info.repeatOr(suite.run().repeat());
        if (repeat == suite.run().repeat()) {
            return suite;
        }
        try {
            return Plan.repeated(suite, repeat);
        } catch (IllegalArgumentException e) {
            throw new SetupException(SetupException.BAD_INPUT, suite.file() + " no longer plans the run's " + repeat
                    + " repeats, which it recorded: " + e.getMessage());
        }
    }

    /**
     * {@code meta} with the plan's hashes and the prices: the digest's own map of request hashes is
     * let go here (the run keeps the compact copy in {@link RunInfo}).
     */
    private static RunInfo planned(Plan.Digest digest, Suite suite, PricingTable pricing, RunInfo meta) {
        return meta.withPlan(digest.planHash(), prices(suite, pricing), digest.requestHashes());
    }

    /**
     * How run.json names a model: on a cloud platform with its provider and the region its price key
     * carries (the key is the one place the suite's region is spelled for pricing), so every report
     * can say where it ran; first-party models as before.
     */
    static RunInfo.ModelRef modelRef(ModelSpec m) {
        if (!PriceKey.PLATFORMS.contains(m.provider())) {
            return new RunInfo.ModelRef(m.id(), m.model());
        }
        return new RunInfo.ModelRef(m.id(), m.model(), m.provider(),
                PriceKey.parse(m.priceKey()).map(PriceKey::region).orElse(null));
    }

    /**
     * What each model of the suite (and a grader named by API id) is priced at in this run, by the
     * key it is priced under: its API id on the first-party API, its platform price key on a cloud
     * platform (the effective price, regional premium included).
     */
    private static Map<String, ModelPrice> prices(Suite suite, PricingTable pricing) {
        Map<String, ModelPrice> prices = new java.util.TreeMap<>();
        for (ModelSpec m : suite.models()) {
            pricing.priceOf(m.priceKey()).ifPresent(p -> prices.put(m.priceKey(), p));
        }
        pricing.priceOf(suite.grader().model()).ifPresent(p -> prices.put(suite.grader().model(), p));
        return prices;
    }

    /**
     * Records what the run is at its start ({@code run.json}) or, when resuming, checks that the
     * suite still makes the plan the journal was written for, and that the run is resumed as the
     * shard it was: resuming a changed plan would mix answers to different requests in one run, and
     * another shard would send trials that are not this run's and record the wrong shard.
     */
    private static void record(RunInfo meta, boolean resume, Path outDir) throws SetupException, IOException {
        if (!resume) {
            meta.writeTo(outDir);
            return;
        }
        RunInfo before;
        try {
            before = RunInfo.readFrom(outDir).orElse(null);
        } catch (IOException e) {
            throw new SetupException(2, "--resume " + outDir + ": " + RunInfo.FILE + " cannot be read: " + e.getMessage());
        }
        if (before != null && before.planHash() != null && !before.planHash().equals(meta.planHash())) {
            throw new SetupException(2, "--resume " + outDir + ": the plan has changed since that run started (plan "
                    + before.planHash().substring(0, 19) + "… then, " + meta.planHash().substring(0, 19)
                    + "… now: the suite file or --repeat differs), so its journal answers other requests: resume with "
                    + "the suite and --repeat it started with, or start a new run");
        }
        if (before != null && before.shard() != null && !before.shard().equals(meta.shard())) {
            throw new SetupException(2, "--resume " + outDir + ": that run is shard " + before.shard() + " of the plan, not "
                    + (meta.shard() == null ? "the whole plan" : "shard " + meta.shard()) + ": resume it with --shard "
                    + before.shard());
        }
    }

    /** The built-in pricing table extended by the suite's {@code pricing:} file and then by {@code extra} (or null). */
    public static PricingTable pricing(Suite suite, Path extra) throws SetupException {
        PricingTable table = PricingTable.defaults();
        for (Path p : new Path[] {suite.pricing(), extra}) {
            if (p == null) {
                continue;
            }
            try {
                table = table.extendedBy(p);
            } catch (IOException | IllegalArgumentException e) {
                throw new SetupException(2, e.getMessage());
            }
        }
        return table;
    }

    /**
     * @param clock the emulator's clock (skipped ahead for an offline cache-variant run)
     * @param clientClock the providers' clock, which signs requests and times tokens: the emulator
     *     judges credentials on it, so a skip that expires cache entries does not expire signatures
     */
    private static EmulatorConfig emulatorConfig(EmulatorSpec spec, Clock clock, Clock clientClock)
            throws SetupException {
        EmulatorConfig base;
        try {
            base = spec.config() != null ? EmulatorConfig.load(spec.config()) : EmulatorConfig.builder().build();
        } catch (RuntimeException e) {
            throw new SetupException(2, e.getMessage());
        }
        List<Path> rules = new java.util.ArrayList<>(base.rules());
        rules.addAll(spec.rules());
        return base.toBuilder().port(0).seed(spec.seed()).rules(rules).clock(clock).credentialClock(clientClock).build();
    }
}
