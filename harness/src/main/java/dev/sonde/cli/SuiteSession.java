package dev.sonde.cli;

import dev.sonde.api.AnthropicClient;
import dev.sonde.api.ApiKey;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.report.Reports;
import dev.sonde.run.RunAborted;
import dev.sonde.run.RunInfo;
import dev.sonde.run.RunResult;
import dev.sonde.run.Runner;
import dev.sonde.run.TrialListener;
import dev.sonde.suite.EmulatorSpec;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

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
     */
    public record Options(Path suiteFile, String endpoint, Path outDir, Integer concurrency, Path pricing,
            Path workDir, Map<String, String> env, TrialListener listener, Clock clock) {}

    /** A run that finished (whatever its verdict), with where its outputs are. */
    public record Outcome(RunResult result, Reports.Outputs outputs) {}

    /** The run could not start: bad arguments or environment (exit 2 or 3). Message is one line. */
    public static final class SetupException extends Exception {
        private final int exitCode;

        SetupException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private SuiteSession() {}

    public static Outcome run(Options o)
            throws SuiteException, SetupException, RunAborted, IOException, InterruptedException {
        Suite suite = SuiteLoader.load(o.suiteFile());
        List<Trial> trials = Plan.expand(suite);
        PricingTable pricing = pricing(suite, o.pricing());
        String endpoint = o.endpoint() != null ? o.endpoint() : suite.endpoint() != null ? suite.endpoint() : "emulator";
        int concurrency = o.concurrency() != null ? o.concurrency() : suite.run().concurrency();
        if (concurrency < 1) {
            throw new SetupException(2, "--concurrency must be at least 1");
        }
        String stamp = STAMP.format(o.clock().now());
        String runId = suite.name() + "-" + stamp;
        Path outDir = o.outDir() != null ? o.outDir() : o.workDir().resolve("reports/runs").resolve(runId);
        Files.createDirectories(outDir);
        if (Files.exists(outDir.resolve("trials.jsonl"))) {
            throw new SetupException(2, outDir + " already holds a run (trials.jsonl): choose another --out");
        }
        List<RunInfo.ModelRef> models = suite.models().stream().map(m -> new RunInfo.ModelRef(m.id(), m.model())).toList();
        if (endpoint.equals("emulator")) {
            try (Emulator emulator = Emulator.start(emulatorConfig(suite.emulator(), o.clock()))) {
                AnthropicClient client = new AnthropicClient(emulator.baseUri(), ApiKey.of(EMULATOR_KEY), o.clock(),
                        Duration.ofSeconds(10));
                RunInfo meta = meta(suite, runId, "emulator", false, models, o);
                return finish(new Runner(client, pricing, o.clock(), o.listener())
                        .run(suite, trials, concurrency, meta, outDir));
            } catch (RunAborted aborted) {
                Reports.writeAll(aborted.partial());
                throw aborted;
            }
        }
        URI base = liveUri(endpoint);
        ApiKey key = ApiKey.fromEnvironment(o.env()).orElseThrow(() -> new SetupException(3,
                ApiKey.ENV + " is not set: a live run against " + endpoint + " needs it (or use --endpoint emulator)"));
        AnthropicClient client = new AnthropicClient(base, key, o.clock(), Duration.ofSeconds(10));
        RunInfo meta = meta(suite, runId, client.endpoint(), true, models, o);
        try {
            return finish(new Runner(client, pricing, o.clock(), o.listener()).run(suite, trials, concurrency, meta, outDir));
        } catch (RunAborted aborted) {
            Reports.writeAll(aborted.partial());
            throw aborted;
        }
    }

    private static Outcome finish(RunResult result) {
        return new Outcome(result, Reports.writeAll(result));
    }

    private static RunInfo meta(Suite suite, String runId, String endpoint, boolean live, List<RunInfo.ModelRef> models,
            Options o) {
        return new RunInfo(suite.name(), suite.file().toString(), runId, endpoint, live, o.clock().now(), null, 0, 0,
                0, models, null, Version.current(), Runtime.version().toString());
    }

    private static URI liveUri(String endpoint) throws SetupException {
        try {
            URI uri = new URI(endpoint);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null && uri.getQuery() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new SetupException(2, "endpoint '" + endpoint + "' is neither 'emulator' nor an http(s) base URL");
    }

    private static PricingTable pricing(Suite suite, Path extra) throws SetupException {
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

    private static EmulatorConfig emulatorConfig(EmulatorSpec spec, Clock clock) throws SetupException {
        EmulatorConfig base;
        try {
            base = spec.config() != null ? EmulatorConfig.load(spec.config()) : EmulatorConfig.builder().build();
        } catch (RuntimeException e) {
            throw new SetupException(2, e.getMessage());
        }
        List<Path> rules = new java.util.ArrayList<>(base.rules());
        rules.addAll(spec.rules());
        return base.toBuilder().port(0).seed(spec.seed()).rules(rules).clock(clock).build();
    }
}
