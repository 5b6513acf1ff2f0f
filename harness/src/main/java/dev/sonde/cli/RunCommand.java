package dev.sonde.cli;

import dev.sonde.report.CacheVariantsMarkdown;
import dev.sonde.run.LoadRunner;
import dev.sonde.suite.Shards;
import dev.sonde.metrics.Fmt;

import dev.sonde.session.HistoryResult;
import dev.sonde.session.HistorySetting;
import dev.sonde.session.SuiteSession;
import dev.sonde.metrics.Clock;
import dev.sonde.analysis.RunAnalysis;
import dev.sonde.analysis.RunSummary;
import dev.sonde.run.RunAborted;
import dev.sonde.run.RunResult;
import dev.sonde.run.RunStop;
import dev.sonde.run.StepResult;
import dev.sonde.suite.SuiteException;
import dev.sonde.journal.JournalDamage;
import dev.sonde.journal.RunInfo;
import dev.sonde.migration.ModelComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sonde run SUITE}: runs a suite and writes its reports; the exit code is the verdict. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a suite: every case on every model, checked, timed and priced.",
        footer = {"", "Exit codes: 0 all passed, 1 a check or a baseline gate failed (or a benchmark step passed",
            "max_error_rate),",
            "2 bad suite or arguments (or a damaged",
            "journal to --resume: sonde journal repair DIR; or another sonde process is using the run folder),",
            "3 the run could not proceed (key rejected, an endpoint unreachable before it answered, budget spent),",
            "130 / 143 stopped by Ctrl-C / SIGTERM (reports of the partial run written; --resume DIR finishes it).",
            "Live runs read the key from ANTHROPIC_API_KEY; it is never written anywhere."})
final class RunCommand implements Callable<Integer> {
    /** The word a stopped run's summary starts with, where a finished one's says PASS or FAIL. */
    static final String STOPPED = "STOPPED";

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Parameters(paramLabel = "SUITE", description = "The suite file (YAML).")
    Path suite;

    @Option(names = "--endpoint", paramLabel = "emulator|live|URL",
            description = "'emulator' (the default), 'live' (each model's official base: api.anthropic.com, "
                    + "a cloud platform's regional host) or an API base URL, e.g. https://api.anthropic.com. "
                    + "Overrides the suite's endpoint.")
    String endpoint;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: reports/runs/<suite>-<timestamp>).")
    Path out;

    @Option(names = "--concurrency", paramLabel = "N", description = "Requests in flight at once (default: the suite's).")
    Integer concurrency;

    @Option(names = "--repeat", paramLabel = "N",
            description = "Send each case to each model N times (1 to 100000) instead of the suite's run.repeat. "
                    + "Part of the plan: resume and merge with the same N. Not for benchmarks (load:).")
    Integer repeat;

    @Option(names = "--pricing", paramLabel = "FILE", description = "A pricing YAML that extends the built-in table.")
    Path pricing;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR: send only the trials its trials.jsonl has no result for.")
    Path resume;

    @Option(names = "--shard", paramLabel = "k/n",
            description = "Run only shard k of n (a stable, balanced split of the trials); combine with sonde merge.")
    String shard;

    @Option(names = "--batch", description = "Send the plan through Message Batches (half price; no latency figures).")
    boolean batch;

    @Option(names = "--cache", description = "Replay identical requests from .sonde-cache/ (checked, marked replayed, "
            + "never counted as measurements); store new answers there.")
    boolean cache;

    @Option(names = "--record", paramLabel = "FILE",
            description = "Write every live answer (text, tool calls, stop reason, usage, timings) to FILE as emulator "
                    + "rules, for the suite's emulator.rules to replay offline.")
    Path record;

    @Option(names = "--update-baseline",
            description = "After the run, write it as the suite's baseline (the gates still report the change).")
    boolean updateBaseline;

    @Option(names = "--allow-endpoint", paramLabel = "HOST", split = ",",
            description = "Let the suite's endpoint or base_url send keys to HOST (a host, *.domain, host:port or "
                    + "https://host:port; also SONDE_ALLOWED_ENDPOINTS). Without it keys go only to the official API "
                    + "hosts, loopback and --endpoint.")
    java.util.List<String> allowEndpoints = new java.util.ArrayList<>();

    @Option(names = "--allow-key-env", paramLabel = "VAR", split = ",",
            description = "Let the suite's api_key_env name VAR although it does not end in _API_KEY "
                    + "(also SONDE_ALLOWED_KEY_ENVS).")
    java.util.List<String> allowKeyEnvs = new java.util.ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "No progress output (the summary and errors still print).")
    boolean quiet;

    @Option(names = "--history", paramLabel = "PATH", arity = "0..1", preprocessor = HistoryPath.class,
            description = "Once the run's outputs are written, add it to the run history store (default: the suite's "
                    + "history:, else reports/history.duckdb; needs sonde-history.jar). Give PATH as --history=PATH.")
    String history;

    @Option(names = "--no-history", description = "Do not add the run to the history store, whatever the suite's "
            + "history: says.")
    boolean noHistory;

    @Option(names = "--history-wait", paramLabel = "SECONDS",
            description = "How long the add waits for another writer of the store before it queues the run in the "
                    + "store's inbox (default: 10).")
    Integer historyWait;

    /** The run's verdict was printed before its history add: a signal after it ends only the add's wait. */
    private boolean verdictFirst;

    /** {@code --history} alone takes no value, so {@code --history suite.yaml} keeps the suite: only {@code --history=PATH} names a store. */
    static final class HistoryPath implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec argSpec, Map<String, Object> info) {
            if (!"=".equals(info.get("separator"))) {
                args.push(""); // --history with no value: the suite's store, else the default one
            }
            return false;
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> env = parent.env();
        ConsoleProgress progress = new ConsoleProgress(err, quiet, onTerminal(), Clock.system());
        Shards.Shard only;
        try {
            only = shard == null ? null : Shards.Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            err.println("sonde: --shard: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        HistorySetting historySetting;
        try {
            historySetting = historySetting();
        } catch (IllegalArgumentException e) {
            err.println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        SuiteSession.Options options = new SuiteSession.Options(suite, endpoint, this.out, concurrency, pricing,
                Path.of("").toAbsolutePath(), env, progress, Clock.system(), resume, updateBaseline, only, batch, cache,
                allowEndpoints, allowKeyEnvs, repeat, record, null, historySetting);
        RunStop stop = new RunStop();
        try (RunSignals signals = RunSignals.install(stop, progress::silence)) {
            Integer code = run(options, stop, progress, err, out);
            if (signals.signal() == null || verdictFirst) { // a signal during the history add ends only its wait
                return code;
            }
            return signals.signal().exitCode();
        }
    }

    /** {@code --history}, {@code --no-history} and {@code --history-wait} as one setting; a bad mix is one line. */
    private HistorySetting historySetting() {
        if (history != null && noHistory) {
            throw new IllegalArgumentException("--history and --no-history: give one of them");
        }
        if (historyWait != null && historyWait < 0) {
            throw new IllegalArgumentException("--history-wait must be 0 or more seconds, not " + historyWait);
        }
        if (history != null && history.isBlank() && !history.isEmpty()) {
            throw new IllegalArgumentException("--history=PATH: the path is blank");
        }
        HistorySetting setting = noHistory ? HistorySetting.off()
                : history != null ? HistorySetting.on(history.isEmpty() ? null : Path.of(history))
                : HistorySetting.AS_SUITE;
        return historyWait == null ? setting : setting.waiting(Duration.ofSeconds(historyWait));
    }

    /**
     * Runs the suite and prints how it ended. A stopped evaluation (key rejected, budget spent, a
     * signal) prints its summary as far as it got, then why it stopped and one line per reason its
     * trials were skipped for, never a line per skipped trial; after a signal the last line is
     * {@link #interrupted(String, RunResult)}.
     */
    private Integer run(SuiteSession.Options options, RunStop stop, ConsoleProgress progress, PrintWriter err,
            PrintWriter out) throws InterruptedException {
        try {
            // cache_control mistakes are warned before anything is sent, and the run goes on; with a history
            // store the verdict is printed before the add, which may wait for the store
            SuiteSession.Outcome ended = SuiteSession.run(options, err::println, stop, finished -> {
                if (!stop.requested()) {
                    printEvaluated(finished, progress, err, out);
                    verdictFirst = true;
                }
            });
            if (verdictFirst) {
                SuiteSession.Evaluated outcome = (SuiteSession.Evaluated) ended;
                printHistory(outcome.history(), err, out);
                return outcome.passed() ? Main.PASSED : Main.CHECK_FAILED;
            }
            if (stop.requested()) {
                if (ended instanceof SuiteSession.Evaluated evaluated) {
                    printSummary(out, evaluated.result(), evaluated.analysis(), STOPPED);
                }
                err.println(interrupted(stop.reason(), ended));
                if (ended instanceof SuiteSession.Evaluated evaluated) {
                    printHistory(evaluated.history(), err, out);
                }
                return Main.CANNOT_PROCEED;
            }
            if (ended instanceof SuiteSession.Benchmarked benchmark) {
                var load = benchmark.load();
                BenchmarkConsole.lines(load, benchmark.info(), benchmark.slo(), load.file().getParent(),
                        benchmark.baseline()).forEach(out::println);
                if (benchmark.baselineWritten() != null) {
                    out.println("baseline written: " + benchmark.baselineWritten());
                }
                out.println("results: " + load.file().toAbsolutePath());
                out.println("report: " + load.file().resolveSibling("report.html").toAbsolutePath());
                return benchmark.passed() ? Main.PASSED : Main.CHECK_FAILED;
            }
            SuiteSession.Evaluated outcome = (SuiteSession.Evaluated) ended;
            printEvaluated(outcome, progress, err, out);
            printHistory(outcome.history(), err, out); // the run's own verdict decides the exit code, recorded or not
            return outcome.passed() ? Main.PASSED : Main.CHECK_FAILED;
        } catch (SuiteException e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (SuiteSession.SetupException e) {
            err.println("sonde: " + e.getMessage());
            return e.exitCode();
        } catch (RunAborted e) {
            if (e instanceof SuiteSession.Stopped stopped) {
                printSummary(out, e.partial(), stopped.analysis(), STOPPED);
                stopped.outputs().failures().forEach(f -> err.println("sonde: could not write " + f.describe()));
            }
            HistoryResult history = e instanceof SuiteSession.Stopped stopped ? stopped.history() : null;
            if (stop.requested()) {
                err.println(interrupted(stop.reason(), e.partial()));
                printHistory(history, err, out);
                return Main.CANNOT_PROCEED;
            }
            err.println("sonde: run stopped: " + e.getMessage());
            skippedLines(progress.skipped(), e.getMessage()).forEach(err::println);
            err.println(partialResults(e, suite));
            printHistory(history, err, out);
            return Main.CANNOT_PROCEED;
        } catch (JournalDamage e) { // --resume of a damaged journal: nothing was sent
            err.println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("sonde: " + e.getMessage());
            return Main.CANNOT_PROCEED;
        }
    }

    /** A finished evaluation's summary, verdict and outputs: all but its history line. */
    private void printEvaluated(SuiteSession.Evaluated outcome, ConsoleProgress progress, PrintWriter err,
            PrintWriter out) {
        printSummary(out, outcome.result(), outcome.analysis(), outcome.passed() ? outcome.verdict().word() : "FAIL");
        skippedLines(progress.skipped(), null).forEach(err::println);
        CacheVariantsMarkdown.consoleLines(outcome.analysis().cacheVariants()).forEach(out::println);
        outcome.comparison().verdict().lines().forEach(l -> out.println("  " + l));
        if (outcome.models() != null) {
            outcome.models().candidates().forEach(c -> out.println(recommendation(c, outcome.result().info())));
        }
        if (outcome.baselineWritten() != null) {
            out.println("baseline written: " + outcome.baselineWritten());
        }
        Path html = outcome.outputs().html();
        out.println(html != null ? "report: " + html.toAbsolutePath() : "outputs: " + outcome.result().outDir());
        outcome.outputs().failures().forEach(f -> err.println("sonde: could not write " + f.describe()));
        out.flush();
    }

    /** What the run's add to the history store came to, last: on stdout when recorded, else stderr; nothing without a store. */
    private static void printHistory(HistoryResult history, PrintWriter err, PrintWriter out) {
        if (history != null) {
            history.lines().forEach(history.recorded() ? out::println : err::println);
        }
    }

    /**
     * Where a stopped run's reports are, and how to send the trials it skipped: {@code --resume DIR},
     * unless the budget is what is spent ({@link RunAborted#spentLimit}) — a resume counts the trials
     * and spend already journaled, so under the same suite it would send nothing, and a suite with a
     * raised budget is another plan, which {@code --resume} refuses: then a new run with a raised
     * limit is the way.
     */
    static String partialResults(RunAborted stopped, Path suiteFile) {
        Path dir = stopped.partial().outDir().toAbsolutePath();
        int skipped = stopped.partial().skippedTrials();
        String where = "partial results: " + dir;
        if (skipped == 0) {
            return where;
        }
        if (stopped.spentLimit().isEmpty()) {
            return where + " (--resume " + dir + " sends the skipped trials)";
        }
        RunAborted.SpentLimit limit = stopped.spentLimit().get();
        String why = limit == RunAborted.SpentLimit.MAX_TRIALS
                ? "budget.max_trials is reached and --resume counts the trials journaled there, so it would send nothing"
                : "budget.max_usd cannot hold the next request and --resume counts the spend in its spend.jsonl, so it"
                        + " could send little or nothing";
        return where + " (" + why + ": to send the " + Fmt.count(skipped)
                + (skipped == 1 ? " skipped trial" : " skipped trials") + ", raise budget." + limit.key() + " in " + suiteFile + " and start a new run; --resume refuses a"
                + " changed suite file)";
    }

    /**
     * One line per reason trials were skipped for ({@code sonde: 26 trials skipped (not sent): budget: …}), in
     * the order the reasons came; a reason that is the run's stop reason, already printed, is not
     * repeated.
     *
     * @param stopReason why the run stopped, or null for a run that got to its end
     */
    static List<String> skippedLines(Map<String, Integer> skipped, String stopReason) {
        List<String> lines = new ArrayList<>();
        skipped.forEach((reason, n) -> lines.add("sonde: " + Fmt.count(n) + (n == 1 ? " trial" : " trials")
                + " skipped" + (reason.equals(stopReason) ? " for that reason (not sent)" : " (not sent): " + reason)));
        return lines;
    }

    /**
     * The one line of a run a signal stopped: how far it got, where its reports are, how to finish it
     * ({@code sonde: interrupted (SIGINT): 1,234 of 5,000 trials done, reports in DIR; resume with
     * --resume DIR}).
     */
    static String interrupted(String reason, RunResult partial) {
        int total = partial.info().trialsPlanned();
        int done = total - partial.skippedTrials();
        Path dir = partial.outDir().toAbsolutePath();
        return "sonde: " + reason + ": " + Fmt.count(done) + " of " + Fmt.count(total) + " trials done, reports in "
                + dir + (done < total ? "; resume with --resume " + dir : "");
    }

    /** As {@link #interrupted(String, RunResult)}, for a run that got to its end before it stopped. */
    private static String interrupted(String reason, SuiteSession.Outcome ended) {
        if (ended instanceof SuiteSession.Evaluated evaluated) {
            return interrupted(reason, evaluated.result());
        }
        LoadRunner.LoadResult load = ((SuiteSession.Benchmarked) ended).load();
        long sent = load.steps().stream().mapToLong(StepResult::sent).sum();
        long ran = load.steps().stream().filter(s -> s.sent() > 0).count();
        return "sonde: " + reason + ": benchmark stopped after " + Fmt.count(sent) + " requests (" + ran + " of "
                + load.steps().size() + " steps begun), reports in " + load.file().getParent().toAbsolutePath();
    }

    /**
     * Whether stderr's user is a person at a terminal. JDK 22+ may give a {@code Console} for
     * redirected streams too and says which with {@code isTerminal()}; JDK 21 gives none then.
     */
    private static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null || System.getenv("CI") != null) {
            return false;
        }
        try {
            return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * The run's lines on the console, from its analysis.
     *
     * @param verdict the run's word ({@code PASS}, {@code COMPARED}, {@code FAIL}; a merge's may be
     *     {@code PARTIAL}), as summary.md heads it
     */
    /**
     * {@code recommendation: …} for one candidate, its name with the cloud platform it ran on beside
     * it as summary.md and the report title it ({@link RunInfo#withPlatform}): {@code recommendation:
     * bedrock (us-east-1) passes 5 of the 5 cases …}; unchanged for a first-party candidate.
     */
    static String recommendation(ModelComparison.Candidate c, RunInfo info) {
        String text = c.recommendation().text();
        String titled = RunInfo.withPlatform(c.name(), info.platforms().get(c.model()));
        if (titled.equals(c.name())) {
            return "recommendation: " + text;
        }
        return "recommendation: " + (text.startsWith(c.name() + " ") ? titled + text.substring(c.name().length())
                : titled + ": " + text);
    }

    static void printSummary(PrintWriter out, RunResult r, RunAnalysis analysis, String verdict) {
        RunSummary.Stats t = analysis.summary().total();
        out.printf(Locale.ROOT, "%s  %s: %d/%d passed, %d failed, %d errored%s%s  (%s, %.1f s)%n",
                verdict, r.info().suite(), t.passed(), t.evaluated(), t.failed(), t.errored(),
                t.notEvaluated() > 0 ? ", " + t.notEvaluated() + " not evaluated (no check applied)" : "",
                r.skippedTrials() > 0 ? ", " + r.skippedTrials() + " skipped" : "",
                r.info().live() ? "LIVE " + r.info().endpoint() : "emulator", r.info().wallMs() / 1000);
        if (t.untimedTrials() > 0) {
            out.printf(Locale.ROOT, "  untimed: %d of %d trials %s; checks that need a timing do not apply%n",
                    t.untimedTrials(), t.trials(), t.untimedReason());
        }
        if (analysis.filler().any()) {
            out.println("  " + analysis.filler().line());
        }
        // one column as wide as the widest name, the platform beside it included (bedrock-invoke (bedrock · us-east-1))
        int width = analysis.summary().models().keySet().stream().mapToInt(m -> r.info().titled(m).length())
                .max().orElse(0);
        String row = "  %-" + Math.max(16, width) + "s %3d/%-3d pass  ttft p50 %s p95 %s  e2e p50 %s  %s%n";
        analysis.summary().models().forEach((model, s) -> out.printf(Locale.ROOT, row, r.info().titled(model), s.passed(),
                s.evaluated(),
                Fmt.ms(s.ttftMs().p50()), Fmt.ms(s.ttftMs().p95()), Fmt.ms(s.e2eMs().p50()),
                s.unpricedTrials() > 0 ? "UNPRICED (" + s.unpricedTrials() + " trials)"
                        : String.format(Locale.ROOT, "$%.6f", s.costUsd())));
        GraderConsole.line(analysis.grader()).ifPresent(out::println);
    }
}
