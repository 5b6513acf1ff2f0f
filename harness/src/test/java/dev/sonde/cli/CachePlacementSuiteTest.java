package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance of issue 8's cache placement half: {@code suites/cache-placement.yaml} runs offline
 * through the CLI, and every per-variant figure, the ranking and the explanations in
 * {@code results.json} agree with a hand computation from {@code trials.jsonl} — written here
 * independently of the harness (its own id parsing, sums, prices from API-NOTES and percentiles).
 * The ranking and savings are on every request sent, warm-up included (README "Cache placement"):
 * a write paid in a warm-up is not free.
 */
class CachePlacementSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** claude-sonnet-4-6, USD per token (API-NOTES "Pricing"). */
    private static final double IN = 3e-6;
    private static final double OUT = 15e-6;
    private static final List<String> FIVE_MINUTE = List.of("tools-5m", "system-5m", "document-5m", "system-1h-document-5m");

    @TempDir
    Path dir;

    /** One variant by hand. */
    static final class Hand {
        final List<JsonNode> measured = new ArrayList<>();
        JsonNode warmup;
        long input, w5m, w1h, read, output;
        double cost;

        /** Measured + warm-up cost. */
        double total() {
            return cost + (warmup == null ? 0 : warmup.get("cost_usd").asDouble());
        }

        /** The ranking's basis: per request sent, warm-up included. */
        double perRequest() {
            return total() / (measured.size() + (warmup == null ? 0 : 1));
        }
        final List<Double> ttft = new ArrayList<>();
    }

    static double nearestRank(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get((int) Math.ceil(p / 100 * sorted.size()) - 1);
    }

    @Test
    void the_suite_ranks_variants_with_figures_that_match_a_hand_computation() throws Exception {
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        Path out = dir.resolve("run");
        long started = System.nanoTime();
        int exit = Main.execute(Map.of(), pw, pw, "run", Path.of("../suites/cache-placement.yaml").toString(), "--out",
                out.toString(), "-q");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(exit).as(console.toString()).isZero();
        assertThat(seconds).as("7-minute gaps are virtual offline").isLessThan(120);

        Map<String, Hand> hand = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            String[] id = t.get("trial_id").asText().split("/");
            assertThat(id).hasSize(4);
            Hand h = hand.computeIfAbsent(id[2], k -> new Hand());
            if (id[3].equals("warmup")) {
                h.warmup = t;
                continue;
            }
            JsonNode u = t.get("usage");
            h.measured.add(t);
            h.input += u.get("input_tokens").asLong();
            h.w5m += u.at("/cache_creation/ephemeral_5m_input_tokens").asLong();
            h.w1h += u.at("/cache_creation/ephemeral_1h_input_tokens").asLong();
            h.read += u.get("cache_read_input_tokens").asLong();
            h.output += u.get("output_tokens").asLong();
            double priced = u.get("input_tokens").asLong() * IN + u.at("/cache_creation/ephemeral_5m_input_tokens").asLong() * IN * 1.25
                    + u.at("/cache_creation/ephemeral_1h_input_tokens").asLong() * IN * 2
                    + u.get("cache_read_input_tokens").asLong() * IN * 0.1 + u.get("output_tokens").asLong() * OUT;
            assertThat(t.get("cost_usd").asDouble()).isCloseTo(priced, within(1e-12));
            h.cost += priced;
            h.ttft.add(t.at("/timings/ttft_ms").asDouble());
        }
        assertThat(hand.keySet()).containsExactly("none", "tools-5m", "system-5m", "system-1h", "document-5m",
                "system-1h-document-5m", "system-1h-burst");

        // what the cache did, request by request
        for (Map.Entry<String, Hand> e : hand.entrySet()) {
            assertThat(e.getValue().measured).hasSize(6);
            if (!e.getKey().equals("none") && e.getValue().warmup != null) {
                assertThat(e.getValue().warmup.at("/usage/cache_read_input_tokens").asLong())
                        .as("each variant starts cold: %s", e.getKey()).isZero();
            }
        }
        assertThat(hand.get("system-1h-burst").warmup).isNull();
        for (JsonNode t : hand.get("system-1h").measured) {
            assertThat(t.at("/usage/cache_creation_input_tokens").asLong()).isZero();
            assertThat(t.at("/usage/cache_read_input_tokens").asLong()).isPositive();
        }
        for (String v : FIVE_MINUTE) {
            for (JsonNode t : hand.get(v).measured) {
                assertThat(t.at("/usage/cache_creation/ephemeral_5m_input_tokens").asLong()).as(v).isPositive();
            }
        }
        List<JsonNode> burst = new ArrayList<>(hand.get("system-1h-burst").measured);
        burst.sort(Comparator.comparingInt(t -> Integer.parseInt(t.get("trial_id").asText().split("/")[3])));
        for (int i = 0; i < 6; i++) {
            JsonNode u = burst.get(i).get("usage");
            assertThat(u.get(i < 3 ? "cache_creation_input_tokens" : "cache_read_input_tokens").asLong())
                    .as("burst request %d", i).isPositive();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(burst.get(i).at("/timings/ttft_ms").asDouble())
                    .as("the storm's window (the first cold request's prefill, until its writes are readable) is wide "
                            + "enough for a loaded machine: burst request %d", i)
                    .isGreaterThanOrEqualTo(200);
        }

        // the figures in results.json
        JsonNode report = JSON.readTree(out.resolve("results.json").toFile()).get("cache_variants");
        assertThat(report.get("virtual_time").asBoolean()).isTrue();
        assertThat(report.get("baseline").asText()).isEqualTo("none");
        double noneCpr = hand.get("none").perRequest();
        Map<String, JsonNode> figures = new LinkedHashMap<>();
        report.get("variants").forEach(f -> figures.put(f.get("id").asText(), f));
        for (Map.Entry<String, Hand> e : hand.entrySet()) {
            Hand h = e.getValue();
            JsonNode f = figures.get(e.getKey());
            assertThat(f.get("requests").asInt()).isEqualTo(6);
            assertThat(f.get("input_tokens").asLong()).isEqualTo(h.input);
            assertThat(f.get("cache_write_5m_tokens").asLong()).isEqualTo(h.w5m);
            assertThat(f.get("cache_write_1h_tokens").asLong()).isEqualTo(h.w1h);
            assertThat(f.get("cache_read_tokens").asLong()).isEqualTo(h.read);
            assertThat(f.get("output_tokens").asLong()).isEqualTo(h.output);
            double ratio = (double) h.read / (h.input + h.w5m + h.w1h + h.read);
            assertThat(f.get("hit_ratio").asDouble()).isCloseTo(ratio, within(1e-12));
            assertThat(f.get("cost_usd").asDouble()).isCloseTo(h.cost, within(1e-12));
            assertThat(f.get("cost_per_request_usd").asDouble()).isCloseTo(h.cost / 6, within(1e-12));
            int sent = 6 + (h.warmup == null ? 0 : 1);
            assertThat(f.get("total_cost_usd").asDouble()).isCloseTo(h.total(), within(1e-12));
            assertThat(f.get("cost_per_request_incl_warmup_usd").asDouble()).isCloseTo(h.perRequest(), within(1e-12));
            assertThat(f.get("savings_usd").asDouble()).isCloseTo(noneCpr * sent - h.total(), within(1e-12));
            assertThat(f.get("savings_pct").asDouble()).isCloseTo(1 - h.perRequest() / noneCpr, within(1e-12));
            assertThat(f.get("errored").asInt()).isZero();
            assertThat(f.get("ttft_p50_ms").asDouble()).isEqualTo(nearestRank(h.ttft, 50));
            assertThat(f.get("ttft_p95_ms").asDouble()).isEqualTo(nearestRank(h.ttft, 95));
        }
        List<String> ranking = hand.keySet().stream().sorted(Comparator.comparingDouble(v -> hand.get(v).perRequest())).toList();
        List<String> reported = new ArrayList<>();
        report.get("ranking").forEach(r -> reported.add(r.asText()));
        assertThat(reported).isEqualTo(ranking);
        assertThat(ranking.get(0)).isEqualTo("system-1h");
        for (int i = 0; i < ranking.size(); i++) {
            assertThat(figures.get(ranking.get(i)).get("rank").asInt()).isEqualTo(i + 1);
        }

        // the explanations say what the numbers say
        long bestPct = Math.round((1 - hand.get("system-1h").perRequest() / noneCpr) * 100);
        assertThat(bestPct).isPositive();
        String summary = report.get("summary").asText();
        assertThat(summary).startsWith("Cheapest: system-1h (1h TTL on system), " + bestPct + " % cheaper than 'none'")
                .contains("the 5m TTL expires between your 7-minute arrivals in " + String.join(", ", FIVE_MINUTE))
                .contains("write storm in system-1h-burst");
        for (String v : FIVE_MINUTE) {
            Hand h = hand.get(v);
            boolean written = h.warmup != null && h.warmup.at("/usage/cache_creation_input_tokens").asLong() > 0;
            int rewrites = 0;
            for (JsonNode t : h.measured) { // one request per arrival in these variants
                boolean writes = t.at("/usage/cache_creation_input_tokens").asLong() > 0;
                rewrites += written && writes ? 1 : 0;
                written |= writes;
            }
            assertThat(rewrites).as("the warm-up wrote and every 7-minute arrival wrote again").isEqualTo(6);
            long pct = Math.round((1 - hand.get(v).perRequest() / noneCpr) * 100);
            String direction = pct >= 0 ? pct + " % cheaper" : -pct + " % dearer";
            assertThat(figures.get(v).get("explanation").asText()).contains(direction + " than 'none'")
                    .contains("the 5m TTL expires between your 7-minute arrivals (" + rewrites
                            + " later arrivals wrote the cache again)");
        }
        assertThat(figures.get("system-1h-burst").get("storm_writes").asInt()).isEqualTo(2);
        assertThat(figures.get("system-1h-burst").get("explanation").asText())
                .contains("write storm: requests sent 3 at a time all missed, 2 extra writes paid");
        assertThat(figures.get("system-1h").get("explanation").asText()).doesNotContain("expires", "storm", "dearer")
                .contains(String.format(java.util.Locale.ROOT, "the one-time cache write (the warm-up) cost $%.5f, counted "
                        + "in the ranking", hand.get("system-1h").warmup.get("cost_usd").asDouble()));
        for (Map.Entry<String, Hand> e : hand.entrySet()) {
            String why = figures.get(e.getKey()).get("explanation").asText();
            if (e.getValue().read == 0) {
                assertThat(why).as("nothing read, so a TTFT difference is noise: %s", e.getKey()).doesNotContain("TTFT");
            }
            if (!e.getKey().equals(ranking.get(0))) {
                assertThat(why).contains(String.format(java.util.Locale.ROOT, "$%.5f per request dearer than %s (#1): ",
                        e.getValue().perRequest() - hand.get(ranking.get(0)).perRequest(), ranking.get(0)));
            }
        }
        assertThat(figures.get("system-1h-document-5m").get("explanation").asText())
                .contains("its 5m breakpoint at document is written again at every arrival — drop it or make it 1h");

        // and every report shows it
        assertThat(console.toString()).contains("cache placement: " + summary);
        assertThat(Files.readString(out.resolve("summary.md"))).contains("### Cache placement", "| #1 | system-1h");
        assertThat(Files.readString(out.resolve("report.html"))).contains("Cache placement", "data-variant=\"system-1h\"");
    }
    /**
     * Issue 22: platform models in an offline cache-variant run. The run skips the emulator's clock
     * ahead between arrivals (7-minute gaps expire 5-minute entries), while the platform clients sign
     * SigV4 requests and fetch Vertex tokens on the real clock; the emulator judges those on the
     * clients' clock, so no request is refused as a signature expired or a token unknown, and every
     * variant runs to its end on both platforms, its cache reads and writes as on the first-party API.
     */
    @Test
    void bedrock_and_vertex_models_run_every_variant_to_the_end_offline() throws Exception {
        Path fixtures = Path.of("../fixtures").toAbsolutePath().normalize();
        String suite = Files.readString(Path.of("../suites/cache-placement.yaml"))
                .replace("../fixtures/", fixtures + "/")
                .replace("models:\n", """
                        models:
                          - id: br
                            provider: bedrock
                            region: us-east-1
                            model: us.anthropic.claude-sonnet-4-5-20250929-v1:0
                            params: {max_tokens: 200, temperature: 0}
                          - id: vx
                            provider: vertex
                            project: sonde-test
                            region: global
                            model: claude-sonnet-4-5@20250929
                            params: {max_tokens: 200, temperature: 0}
                        """);
        Path file = Files.writeString(dir.resolve("cache-platforms.yaml"), suite);
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        Path out = dir.resolve("run");
        int exit = Main.execute(Map.of(), pw, pw, "run", file.toString(), "--out", out.toString(), "-q");
        assertThat(exit).as(console.toString()).isZero();

        Map<String, List<JsonNode>> byModel = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            byModel.computeIfAbsent(t.get("trial_id").asText().split("/")[1], k -> new ArrayList<>()).add(t);
        }
        assertThat(byModel.keySet()).containsExactlyInAnyOrder("sonnet", "br", "vx");
        for (String model : List.of("br", "vx")) {
            List<JsonNode> trials = byModel.get(model);
            assertThat(trials).as(model).hasSameSizeAs(byModel.get("sonnet"));
            assertThat(trials).allSatisfy(t -> assertThat(t.path("error").isMissingNode() || t.path("error").isNull())
                    .as(model + " " + t.get("trial_id").asText() + ": " + t.path("error")).isTrue());
            assertThat(trials.stream().mapToLong(t -> t.at("/usage/cache_read_input_tokens").asLong()).sum())
                    .as(model + " reads its cache").isPositive();
        }
    }
}
