import dev.sonde.api.SecretMask;
import dev.sonde.history.Added;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.HistoryStores;
import dev.sonde.history.RunDiff;
import dev.sonde.history.RunQuery;
import dev.sonde.history.RunSpool;
import dev.sonde.history.Trend;
import dev.sonde.journal.Journal;
import dev.sonde.lib.Sonde;
import dev.sonde.metrics.Clock;
import dev.sonde.session.SuiteSession;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The history store's figures for bench/history.sh (issue 25), on the bench jar's classpath plus
 * {@code sonde-history.jar}, as the CLI finds them:
 *
 * <pre>
 *   runs N SUITE OUT_ROOT          N real runs of SUITE in this JVM, OUT_ROOT/r-000 …, each started
 *                                  one hour after the one before (the run id is the suite and its
 *                                  start to the second, so N runs of one minute need N distinct starts)
 *   acceptance STORE RUN_ROOT      the database's first start (native library unpacked, first
 *                                  connection), then every run folder of RUN_ROOT added, then its
 *                                  suite's trend; prints each
 *   synthetic STORE RUNS TRIALS    RUNS synthetic runs of TRIALS trials each added, then views
 *   views STORE                    the trend views (last 30, all, one model), the runs list and a
 *                                  two-run diff, through the SPI and as sonde view's pages, timed
 * </pre>
 */
public final class History {
    private static final Duration WAIT = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        switch (args[0]) {
            case "runs" -> runs(Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3]));
            case "acceptance" -> acceptance(Path.of(args[1]), Path.of(args[2]));
            case "synthetic" -> synthetic(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "views" -> views(find(), Path.of(args[1]));
            default -> throw new IllegalArgumentException("runs | acceptance | synthetic: " + args[0]);
        }
    }

    private static void runs(int n, Path suite, Path root) throws Exception {
        Instant first = Instant.now().minus(Duration.ofHours(n));
        long t0 = System.nanoTime();
        int passed = 0;
        for (int i = 0; i < n; i++) {
            Clock clock = shifted(first.plus(Duration.ofHours(i)));
            SuiteSession.Outcome outcome = Sonde.suite(suite).outDir(root.resolve(String.format("r-%03d", i)))
                    .clock(clock).run();
            passed += outcome.passed() ? 1 : 0;
        }
        System.err.printf("  %d runs of %s made in %.1f s (%d passed)%n", n, suite.getFileName(),
                (System.nanoTime() - t0) / 1e9, passed);
    }

    /** The real clock, its wall time moved so that it reads {@code start} now. */
    private static Clock shifted(Instant start) {
        Duration by = Duration.between(Instant.now(), start);
        return new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Instant now() {
                return Instant.now().plus(by);
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                Clock.system().sleepNanos(nanos);
            }
        };
    }

    private static void acceptance(Path store, Path root) throws Exception {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        long t0 = System.nanoTime();
        HistoryStore history = find();
        firstConnection();
        long t1 = System.nanoTime();
        Path spools = Files.createTempDirectory("sonde-history-bench");
        String suite = null;
        long trials = 0;
        // as sonde history import does: the folders read on every core, then added in one call
        List<Path> files = new ArrayList<>();
        List<java.util.concurrent.Future<RunSpool.Spooled>> read = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
            for (Path dir : dirs) {
                read.add(pool.submit(() -> RunSpool.write(dir, spools.resolve(dir.getFileName() + ".jsonl"),
                        SecretMask.NONE)));
            }
            for (var f : read) {
                RunSpool.Spooled spooled = f.get();
                trials += spooled.trials();
                files.add(spooled.file());
            }
        }
        long spooledAt = System.nanoTime();
        for (Added added : history.add(store, files, WAIT, a -> {})) {
            if (!(added instanceof Added.Imported)) {
                throw new IllegalStateException(added.line());
            }
        }
        long t2 = System.nanoTime();
        for (HistoryStore.StoredRun run : history.runs(store, RunQuery.ALL, WAIT)) {
            suite = run.run().suite();
        }
        Trend trend = history.trend(store, suite, null, 0, WAIT);
        long t3 = System.nanoTime();
        Files.delete(spools);
        if (trend.points().size() != dirs.size()) {
            throw new IllegalStateException(trend.points().size() + " trend points for " + dirs.size() + " runs");
        }
        double importMs = (t2 - t1) / 1e6;
        double trendMs = (t3 - t2) / 1e6;
        System.out.printf("first start (history module found, DuckDB's native library unpacked, first connection): %.0f ms%n",
                (t1 - t0) / 1e6);
        System.out.printf("  of which: %d run folders read into spools %.0f ms, the spools added %.0f ms%n", dirs.size(),
                (spooledAt - t1) / 1e6, (t2 - spooledAt) / 1e6);
        System.out.printf("import %d runs (%d trials): %.0f ms; trend view (%d points): %.0f ms; together %.0f ms"
                + " (target < 2000 ms) %s%n", dirs.size(), trials, importMs, trend.points().size(), trendMs,
                importMs + trendMs, importMs + trendMs < 2000 ? "OK" : "OVER");
    }

    private static void synthetic(Path store, int runs, int trialsPerRun) throws Exception {
        HistoryStore history = find();
        long t0 = System.nanoTime();
        firstConnection();
        long t1 = System.nanoTime();
        System.out.printf("first start: %.0f ms%n", (t1 - t0) / 1e6);
        Path spools = Files.createTempDirectory("sonde-history-synthetic");
        SplittableRandom random = new SplittableRandom(20261206);
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        List<String> ids = new ArrayList<>();
        long made = System.nanoTime();
        List<Path> files = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            String id = String.format("synthetic-%05d", r);
            ids.add(id);
            Path spool = spools.resolve(id + ".jsonl");
            writeSynthetic(spool, id, start.plus(Duration.ofHours(12L * r)), r, trialsPerRun, random);
            files.add(spool);
            if (files.size() == 100 || r == runs - 1) {
                history.add(store, files, WAIT, a -> {});
                files.clear();
            }
        }
        long t2 = System.nanoTime();
        Files.delete(spools);
        System.out.printf("made and added %d runs x %d trials: %.1f s; store %.1f MB%n", runs, trialsPerRun,
                (t2 - made) / 1e9, Files.size(store) / 1e6);
        views(history, store);
    }

    /** The trend views, the runs list and a diff of the two newest runs over {@code store}, timed. */
    private static void views(HistoryStore history, Path store) throws Exception {
        List<HistoryStore.StoredRun> all = history.runs(store, RunQuery.ALL, WAIT);
        String a = all.get(all.size() - 2).run().runId();
        String b = all.get(all.size() - 1).run().runId();
        time("trend, last 30 runs", () -> history.trend(store, "synthetic", null, 30, WAIT).points().size());
        time("trend, all runs", () -> history.trend(store, "synthetic", null, 0, WAIT).points().size());
        time("trend of one model, all runs", () -> history.trend(store, "synthetic", "sonnet", 0, WAIT).points().size());
        time("runs list", () -> history.runs(store, RunQuery.ALL, WAIT).size());
        time("diff of two runs", () -> {
            RunDiff d = history.diff(store, a, b, WAIT);
            return d.trials().size();
        });
        // the same views as sonde view serves them: the page, charts drawn, over loopback HTTP
        dev.sonde.history.Viewer viewer = history.view(store, dev.sonde.history.ViewOptions.anyPort());
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (String[] page : new String[][] {{"sonde view: suite page, last 30 runs", "suite?name=synthetic&last=30"},
                    {"sonde view: suite page, all runs", "suite?name=synthetic&last=0"},
                    {"sonde view: diff of two runs", "diff?a=" + a + "&b=" + b}}) {
                java.net.URI uri = viewer.uri().resolve(page[1]);
                time(page[0], () -> {
                    var response = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(uri + ": " + response.statusCode() + " " + response.body().replaceAll("(?s)<[^>]*>", " ").replaceAll("\\s+", " ").trim());
                    }
                    return response.body().length() / 1000;
                });
            }
        } finally {
            viewer.close();
        }
    }

    private interface Timed {
        int run() throws Exception;
    }

    private static void time(String what, Timed timed) throws Exception {
        timed.run();
        double best = Double.MAX_VALUE;
        int size = 0;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            size = timed.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e6);
        }
        System.out.printf("  %-40s %7.0f ms (best of 5, %d rows or kB) (target < 1000 ms) %s%n", what, best, size,
                best < 1000 ? "OK" : "OVER");
    }

    private static HistoryStore find() {
        if (HistoryStores.find(System.getenv()) instanceof HistoryStores.Found found) {
            return found.store();
        }
        throw new IllegalStateException("no history module on the class path");
    }

    /** DuckDB's native library unpacked and loaded, and one in-memory connection opened and closed. */
    private static void firstConnection() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            c.createStatement().execute("SELECT 1");
        }
    }

    /** One run's spool: the run, its figures for the run and each model, two gates, then the trials. */
    private static void writeSynthetic(Path spool, String id, Instant at, int index, int trials, SplittableRandom random)
            throws IOException {
        var json = Journal.JSON.writerFor(HistoryRow.class);
        String[] models = {"sonnet", "haiku"};
        boolean drift = index >= 500;
        try (Writer out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
            List<HistoryRow> rows = new ArrayList<>();
            rows.add(run(id, at, trials));
            for (String m : models) {
                rows.add(new HistoryRow.Model(m, "claude-" + m, "anthropic", null));
            }
            double[][] ttft = new double[models.length + 1][];
            List<HistoryRow> trialRows = new ArrayList<>();
            long passed = 0;
            double cost = 0;
            for (int t = 0; t < trials; t++) {
                String model = models[t % 2];
                String caseId = "case-" + (t / 2);
                boolean pass = !(drift && caseId.equals("case-7")) && random.nextDouble() > 0.02;
                double ttftMs = 300 + random.nextDouble() * 200 + (random.nextDouble() < 0.05 ? 2000 : 0);
                double e2e = ttftMs + 400 + random.nextDouble() * 300;
                double c = 0.0004 + random.nextDouble() * 0.0001;
                passed += pass ? 1 : 0;
                cost += c;
                String trialId = caseId + "/" + model + "/0";
                trialRows.add(new HistoryRow.Trial(trialId, caseId, model, "claude-" + model, 0, pass, null, null,
                        false, null, false, null, ttftMs, ttftMs - 20, e2e, c, false, 800L, 120L, 0L, 0L, 1,
                        at.plusMillis(t), "end_turn", Long.toHexString(random.nextLong())));
                trialRows.add(new HistoryRow.Check(trialId, 0, "contains", pass, pass ? null : "expected to contain"));
                trialRows.add(new HistoryRow.Output(trialId, "A synthetic answer of about one hundred and twenty"
                        + " characters, so that the store holds outputs as a real history does " + t, null));
            }
            double rate = (double) passed / trials;
            rows.add(new HistoryRow.Stat("run", null, null, trials, passed, trials - passed, 0, 0, rate, 380.0,
                    2100.0 + (drift ? 150 : 0), 2400.0, 800.0, 2700.0, 3000.0, cost, cost / trials, 800L * trials,
                    120L * trials, 0, 0, 0.0, 0, 0));
            for (String m : models) {
                rows.add(new HistoryRow.Stat("model", m, null, trials / 2, passed / 2, (trials - passed) / 2, 0, 0,
                        rate, 380.0, 2100.0, 2400.0, 800.0, 2700.0, 3000.0, cost / 2, cost / trials,
                        400L * trials, 60L * trials, 0, 0, 0.0, 0, 0));
            }
            rows.add(new HistoryRow.Gate("pass_rate", "run", rate >= 0.97 ? "pass" : "fail", rate, 0.97, null, null,
                    null));
            rows.add(new HistoryRow.Gate("ttft_p95", "run", "pass", 2100.0, 2520.0, null, null, null));
            rows.addAll(trialRows);
            for (HistoryRow row : rows) {
                out.write(json.writeValueAsString(row));
                out.write('\n');
            }
        }
    }

    private static HistoryRow.Run run(String id, Instant at, int trials) {
        String commit = Long.toHexString(id.hashCode() * 0x9E3779B97F4A7C15L).substring(0, 7);
        return new HistoryRow.Run(id, "synthetic", "suites/synthetic.yaml", at, at.plusSeconds(60), 60_000,
                "https://api.anthropic.com", true, commit, false, "bench", "25", "2026-11", "plan", "server", null,
                null, null, 1, trials, "pass", "pass", null, "/nowhere/" + id, null);
    }
}
