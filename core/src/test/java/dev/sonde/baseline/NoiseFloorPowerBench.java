package dev.sonde.baseline;

import dev.sonde.emulator.LatencyProfile;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many baseline runs does the TTFT p95 gate need to catch a +20 % rise with 80 % power on the
 * shipped regression suite? A benchmark, not a test: it asserts nothing and is not run by {@code mvn
 * verify} (its name is not a test's); run it with
 *
 * <pre>{@code mvn -B -q -ntp -o test -Dtest=NoiseFloorPowerBench -Dsurefire.failIfNoSpecifiedTests=false}</pre>
 *
 * and read the table it prints (README, "Baselines and the CI gate"). The suite's shape is read from
 * the committed baseline ({@code reports/baselines/regression.json}): the case × model pairs that
 * have a TTFT (13 per model) and their input tokens. Latency follows the emulator's model and its
 * built-in sonnet and haiku profiles (TTFT = (base + prefill × input tokens) × log-normal jitter of
 * mean 1, σ = 0.25); each simulated run is one of:
 *
 * <ul>
 *   <li>a live endpoint: every trial's jitter drawn afresh, and the whole run slower or faster by a
 *       log-normal factor of σ_run (the machine, the network, the provider's load that day);
 *   <li>the seeded emulator, as the shipped CI gate runs it: a request's jitter is a function of the
 *       emulator's seed and the request, so it repeats from run to run; each trial varies by the
 *       machine alone (σ = 0.10; two runs of the suite on a loaded shared machine: 0.05–0.07).
 * </ul>
 *
 * For each number of baseline runs R, {@value #TRIALS} seeded draws of a baseline of R runs, a run
 * from the same distribution and a run 20 % slower, compared through the whole path (journal →
 * digest → paired gates, the shipped gate: {@code ttft_p95: {max_increase: 0.20}}, α = 0.05 over
 * two models). Columns: how often the shipped gate fails with no change (false alarms); how often the
 * 95 % interval's lower bound lies above +0 % for the slower run ("caught": a gate with
 * {@code max_increase: 0} would fail) and with no change; how often the shipped gate fails on the
 * +20 % run (at its own limit it should stay near α/2 or below).
 */
class NoiseFloorPowerBench {
    private static final LatencyProfile SONNET = new LatencyProfile("claude-*sonnet*", 900, 25, 75, 0.25);
    private static final LatencyProfile HAIKU = new LatencyProfile("claude-*haiku*", 450, 12, 140, 0.25);
    private static final int TRIALS = 200;
    private static final int[] BASELINE_RUNS = {1, 2, 3, 5, 8};
    private static final double MACHINE_SIGMA = 0.10;

    @TempDir
    Path dir;

    private int made;

    /** A case × model of the shipped suite that has a TTFT, with its input tokens. */
    record Shape(String caseId, String model, long inputTokens, long outputTokens) {}

    private static List<Shape> shippedSuite() throws IOException {
        Path file = Path.of(System.getProperty("sonde.projectDir", "."), "reports/baselines/regression.json");
        List<Shape> out = new ArrayList<>();
        for (BaselineFile.TrialEntry t : BaselineFile.read(file).trials().values()) {
            if (t.ttftMs() != null && t.runIndex() == 0) {
                out.add(new Shape(t.caseId(), t.model(), t.tokens().input(), t.tokens().output()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(file + " carries no per-trial TTFT: regenerate it (README)");
        }
        return out;
    }

    enum Noise { LIVE, SEEDED_EMULATOR }

    /** One run of the suite: {@code suite} fixes what repeats between runs, {@code run} what varies. */
    private RunResult run(List<Shape> shapes, Noise noise, double runSigma, int repeats, long suiteSeed, long runSeed,
            double slow) throws IOException {
        SplittableRandom suite = new SplittableRandom(suiteSeed);
        SplittableRandom rng = new SplittableRandom(runSeed);
        double runFactor = jitter(rng, runSigma);
        RunFixture f = new RunFixture();
        for (Shape s : shapes) {
            for (int r = 0; r < repeats; r++) {
                LatencyProfile p = s.model().equals("haiku") ? HAIKU : SONNET;
                double jitter = noise == Noise.LIVE ? jitter(rng, p.jitterSigma()) * runFactor
                        : jitter(suite, p.jitterSigma()) * jitter(rng, MACHINE_SIGMA);
                double ttft = (p.ttftBaseMillis() + p.prefillMicrosPerToken() * s.inputTokens() / 1000.0) * jitter * slow;
                double decode = s.outputTokens() / p.outputTokensPerSecond() * 1000;
                f.trial(s.caseId(), s.model(), r, true, ttft, ttft + decode, 0.001, "same");
            }
        }
        return f.write(Files.createDirectories(dir.resolve("r" + made++)));
    }

    private static double jitter(SplittableRandom rng, double sigma) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        double z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        return Math.exp(sigma * z - sigma * sigma / 2);
    }

    /** Counts over the draws of one row of the table. */
    private static final class Row {
        int falseAlarms;
        int caught;
        int caughtNoChange;
        int trippedAtLimit;

        void add(Comparison same, Comparison slower) {
            falseAlarms += tripped(same) ? 1 : 0;
            caughtNoChange += caught(same) ? 1 : 0;
            caught += caught(slower) ? 1 : 0;
            trippedAtLimit += tripped(slower) ? 1 : 0;
        }

        private static List<GateResult> ttft(Comparison c) {
            return c.verdict().gates().stream().filter(g -> g.gate().equals("ttft_p95")).toList();
        }

        static boolean tripped(Comparison c) {
            return ttft(c).stream().anyMatch(GateResult::failed);
        }

        static boolean caught(Comparison c) {
            return ttft(c).stream().anyMatch(g -> g.ciLow() != null && g.ciLow() > 0);
        }
    }

    private Row row(List<Shape> shapes, Noise noise, double runSigma, int repeats, int runs) throws IOException {
        Row row = new Row();
        for (int d = 0; d < TRIALS; d++) {
            long seed = 1_000_003L * d + 17L * runs;
            List<RunResult> base = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                base.add(run(shapes, noise, runSigma, repeats, seed, seed * 31 + r, 1));
            }
            List<BaselineFile> parts = new ArrayList<>();
            for (RunResult b : base) {
                parts.add(Baselines.of(b));
            }
            BaselineFile baseline;
            try {
                baseline = parts.size() == 1 ? parts.get(0) : BaselineRuns.combine(parts);
            } catch (BaselineRuns.Mismatch e) {
                throw new IllegalStateException(e);
            }
            RunResult same = run(shapes, noise, runSigma, repeats, seed, seed * 31 + 101, 1);
            RunResult slower = run(shapes, noise, runSigma, repeats, seed, seed * 31 + 102, 1.2);
            row.add(compare(baseline, same), compare(baseline, slower));
        }
        return row;
    }

    private static Comparison compare(BaselineFile baseline, RunResult run) throws IOException {
        return Baselines.compare(baseline, "memory", run, Gates.DEFAULTS, Baselines.defaultPricing());
    }

    @Test
    void print_the_power_table() throws Exception {
        List<Shape> shapes = shippedSuite();
        System.out.printf(Locale.ROOT, "%nTTFT p95 gate on the shipped regression suite (%d TTFTs per model), %d draws"
                + " per row%n", shapes.size() / 2, TRIALS);
        System.out.println("| endpoint | run-to-run σ | repeat | baseline runs | false alarms (gate, no change) "
                + "| +20 % caught (lower bound > 0) | lower bound > 0, no change | gate fails at +20 % |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (double runSigma : new double[] {0, 0.10}) {
            Integer needed = null;
            for (int runs : BASELINE_RUNS) {
                Row row = row(shapes, Noise.LIVE, runSigma, 1, runs);
                print("live", String.format(Locale.ROOT, "%.2f", runSigma), 1, runs, row);
                if (needed == null && row.caught >= 0.8 * TRIALS) {
                    needed = runs;
                }
            }
            System.out.printf(Locale.ROOT, "live endpoint, run-to-run σ %.2f, repeat 1: 80 %% power at +20 %% %s%n",
                    runSigma, needed == null ? "not reached with up to " + BASELINE_RUNS[BASELINE_RUNS.length - 1]
                            + " baseline runs" : "with " + needed + " baseline run" + (needed == 1 ? "" : "s"));
        }
        for (int repeats : new int[] {5, 10}) {
            for (int runs : new int[] {1, 3}) {
                print("live", "0.10", repeats, runs, row(shapes, Noise.LIVE, 0.10, repeats, runs));
            }
        }
        print("seeded emulator", "machine " + MACHINE_SIGMA, 1, 1, row(shapes, Noise.SEEDED_EMULATOR, 0, 1, 1));
    }

    private static void print(String endpoint, String sigma, int repeats, int runs, Row row) {
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.1f %% | %.1f %% | %.1f %% | %.1f %% |%n", endpoint, sigma,
                repeats, runs,
                100.0 * row.falseAlarms / TRIALS, 100.0 * row.caught / TRIALS, 100.0 * row.caughtNoChange / TRIALS,
                100.0 * row.trippedAtLimit / TRIALS);
    }
}
