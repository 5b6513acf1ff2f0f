package dev.sonde.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.emulator.LatencyProfile;
import dev.sonde.metrics.PricingTable;
import dev.sonde.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Does the latency gate tell the truth? Runs shaped like {@code suites/regression.yaml} (14 cases ×
 * 2 models) are drawn from the emulator's latency model — TTFT = (base + prefill × input tokens) ×
 * a log-normal jitter of mean 1 (σ = 0.25), decode paced at the profile's tokens/s with the same
 * jitter — using the built-in sonnet and haiku profiles, and compared through the whole
 * comparison path (journal → digest → gates). Seeded, so every number printed is reproducible.
 */
class HonestyTest {
    private static final LatencyProfile SONNET = new LatencyProfile("claude-*sonnet*", 900, 25, 75, 0.25);
    private static final LatencyProfile HAIKU = new LatencyProfile("claude-*haiku*", 450, 12, 140, 0.25);
    private static final int CASES = 14;
    private static final int REPETITIONS = 100;
    private static final double ALPHA = Gates.DEFAULT_ALPHA;

    @TempDir
    Path dir;

    /** One run: every case on both models, latencies drawn with {@code seed}, TTFT scaled by {@code slow}. */
    private RunResult draw(String name, long seed, double slow, String broken) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        RunFixture f = new RunFixture();
        for (int i = 0; i < CASES; i++) {
            int inputTokens = 60 + 11 * i;
            int outputTokens = 20 + 7 * i;
            for (LatencyProfile p : List.of(SONNET, HAIKU)) {
                String model = p == SONNET ? "sonnet" : "haiku";
                double ttft = (p.ttftBaseMillis() + p.prefillMicrosPerToken() * inputTokens / 1000.0) * jitter(rng, p) * slow;
                double decode = outputTokens / p.outputTokensPerSecond() * 1000 * jitter(rng, p);
                String c = "case-" + i;
                boolean pass = !c.equals(broken);
                f.trial(c, model, 0, pass, ttft, ttft + decode, 0.0004, pass ? "Paris" : "Lyon");
            }
        }
        return f.write(Files.createDirectories(dir.resolve(name)));
    }

    private static double jitter(SplittableRandom rng, LatencyProfile p) {
        double z = gaussian(rng);
        return Math.exp(p.jitterSigma() * z - p.jitterSigma() * p.jitterSigma() / 2);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private Comparison compare(RunResult base, RunResult run) throws IOException {
        return Baselines.compare(Baselines.of(base), "memory", run, Gates.DEFAULTS, Baselines.defaultPricing());
    }

    private static boolean latencyTripped(Comparison c) {
        return c.verdict().failures().stream().anyMatch(g -> g.gate().equals("ttft_p95"));
    }

    @Test
    void same_distribution_with_other_seeds_trips_the_latency_gate_at_most_alpha_of_the_time() throws Exception {
        int trips = 0;
        int significant = 0;
        for (int s = 0; s < REPETITIONS; s++) {
            Comparison c = compare(draw("a" + s, 1000 + 2L * s, 1, null), draw("b" + s, 1001 + 2L * s, 1, null));
            trips += latencyTripped(c) ? 1 : 0;
            // The test alone, before the +20 % threshold: per model at α/2, any model significant.
            significant += c.verdict().gates().stream()
                    .anyMatch(g -> g.gate().equals("ttft_p95") && g.pValue() != null && g.pValue() < ALPHA / 2) ? 1 : 0;
            assertThat(c.verdict().failures()).as("seed %d: %s", s, c.verdict().lines()).allMatch(g -> g.gate().equals("ttft_p95"));
        }
        BinomialDistribution null05 = BinomialDistribution.of(REPETITIONS, ALPHA);
        int upper = null05.inverseCumulativeProbability(0.999);
        System.out.printf(Locale.ROOT, "HonestyTest: false alarms of the TTFT p95 gate, same distribution, %d seed pairs:"
                + " %d/%d = %.2f (alpha %.2f; binomial 99.9%% upper bound %d)%n", REPETITIONS, trips, REPETITIONS,
                (double) trips / REPETITIONS, ALPHA, upper);
        System.out.printf(Locale.ROOT, "HonestyTest: Mann-Whitney alone (alpha/2 per model, either model): %d/%d = %.2f"
                + " (binomial 99.9%% interval %d..%d)%n", significant, REPETITIONS, (double) significant / REPETITIONS,
                null05.inverseCumulativeProbability(0.0005), null05.inverseCumulativeProbability(0.9995));
        assertThat(trips).isLessThanOrEqualTo(upper);
        assertThat(significant).isBetween(null05.inverseCumulativeProbability(0.0005),
                null05.inverseCumulativeProbability(0.9995));
    }

    @Test
    void fifty_percent_slower_emulator_trips_the_latency_gate() throws Exception {
        int trips = 0;
        int pairs = 20;
        for (int s = 0; s < pairs; s++) {
            trips += latencyTripped(compare(draw("a" + s, 5000 + 2L * s, 1, null), draw("b" + s, 5001 + 2L * s, 1.5, null)))
                    ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "HonestyTest: +50%% TTFT tripped the gate in %d/%d seed pairs%n", trips, pairs);
        assertThat(trips).isGreaterThanOrEqualTo(pairs - 2);

        // Same seed, slowed profile: the CI situation (a committed baseline, then a slower emulator).
        Comparison same = compare(draw("same-a", 42, 1, null), draw("same-b", 42, 1.5, null));
        assertThat(same.verdict().failures()).extracting(GateResult::name)
                .containsExactly("ttft_p95 [sonnet]", "ttft_p95 [haiku]");
        assertThat(same.verdict().failures().get(0).line()).contains("+50.0%").contains("Mann-Whitney p = ");
    }

    @Test
    void a_fixture_change_that_breaks_one_case_fails_naming_that_case() throws Exception {
        Comparison c = compare(draw("a", 7, 1, null), draw("b", 7, 1, "case-3"));
        assertThat(c.verdict().passed()).isFalse();
        assertThat(c.verdict().failures()).extracting(GateResult::gate).containsExactly("new_failures");
        assertThat(c.verdict().failures().get(0).line())
                .contains("case-3 [sonnet] was pass, now fail").contains("case-3 [haiku] was pass, now fail")
                .contains("expected \"Paris\", got \"Lyon\"");
    }
}
