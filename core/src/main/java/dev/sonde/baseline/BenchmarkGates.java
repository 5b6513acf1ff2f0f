package dev.sonde.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.suite.BaselineSpec;
import dev.sonde.suite.Location;
import dev.sonde.suite.SuiteException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The gates of a benchmark's {@code baseline: {gates: …}} (a suite with {@code load:}), judged per
 * step against the stored run: the latency gates of an evaluation, by the same names
 * ({@code ttft_p95: {max_increase: 0.20}}, {@code e2e_p95}, any of {@code ttft|ttfb|e2e} ×
 * {@code p50|p90|p95|p99}), and {@code goodput: {max_drop: 0.10}} (relative: 0.10 = −10 %).
 * {@code ttft_p95}, {@code e2e_p95} (both +20 %) and {@code goodput} (−10 %) are on by default;
 * a key turns one off ({@code false}) or sets its limit, as for evaluations. The gates of an
 * evaluation's cases ({@code new_failures}, {@code pass_rate}, {@code cost_per_trial},
 * {@code cache_hit_ratio}) are a suite error here, as {@code goodput} is in an evaluation.
 *
 * @param goodputMaxDrop null when off; relative (0.1 = −10 %)
 */
public record BenchmarkGates(double alpha, List<Gates.LatencyGate> latency, Double goodputMaxDrop) {

    public static final BenchmarkGates DEFAULTS = new BenchmarkGates(Gates.DEFAULT_ALPHA,
            List.of(new Gates.LatencyGate("ttft_p95", "ttft_ms", 0.95, 0.20),
                    new Gates.LatencyGate("e2e_p95", "e2e_ms", 0.95, 0.20)), 0.10);

    private static final Set<String> EVALUATION_ONLY = Set.of("new_failures", "pass_rate", "cost_per_trial",
            "cache_hit_ratio");

    public BenchmarkGates {
        latency = List.copyOf(latency);
    }

    /** The suite's gates merged over {@link #DEFAULTS}; the defaults when it has no baseline section. */
    public static BenchmarkGates of(BaselineSpec spec) throws SuiteException {
        return spec == null ? DEFAULTS : parse(spec.gates(), spec.location());
    }

    static BenchmarkGates parse(ObjectNode gates, Location where) throws SuiteException {
        if (gates == null || gates.isEmpty()) {
            return DEFAULTS;
        }
        double alpha = DEFAULTS.alpha;
        Double goodput = DEFAULTS.goodputMaxDrop;
        Map<String, Gates.LatencyGate> latency = new LinkedHashMap<>();
        DEFAULTS.latency.forEach(g -> latency.put(g.key(), g));
        for (Iterator<Map.Entry<String, JsonNode>> it = gates.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String field = "baseline.gates." + key;
            Matcher m = Gates.LATENCY_KEY.matcher(key);
            if (key.equals("alpha")) {
                alpha = Gates.number(v, null, field, where, 1e-6, 0.25); // the two-sided level 1 − 2·alpha/steps stays above 0
            } else if (key.equals("goodput")) {
                Gates.only(v, Set.of("max_drop"), field, where);
                goodput = Gates.off(v, field, where) ? null : Gates.number(v, "max_drop", field, where, 0, 1, 0.10);
            } else if (m.matches()) {
                Gates.only(v, Set.of("max_increase"), field, where);
                if (Gates.off(v, field, where)) {
                    latency.remove(key);
                } else {
                    double inc = Gates.number(v, "max_increase", field, where, 0, 1e6, 0.20);
                    latency.put(key, new Gates.LatencyGate(key, m.group(1) + "_ms", Integer.parseInt(m.group(2)) / 100.0,
                            inc));
                }
            } else if (EVALUATION_ONLY.contains(key)) {
                throw new SuiteException(where, field, "gates an evaluation's cases, not a benchmark (a suite with load:);"
                        + " a benchmark's gates are alpha, goodput and latency gates like ttft_p95, e2e_p95");
            } else {
                throw new SuiteException(where, field, "unknown gate; a benchmark's gates are alpha, goodput and latency"
                        + " gates like ttft_p95, e2e_p95, ttfb_p50");
            }
        }
        return new BenchmarkGates(alpha, new ArrayList<>(latency.values()), goodput);
    }
}
