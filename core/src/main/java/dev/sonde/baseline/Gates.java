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
import java.util.regex.Pattern;

/**
 * The gates of {@code baseline: {gates: …}}: what a run may not do relative to its baseline.
 * Every gate has a default; a suite overrides one gate by giving its key (a mapping, {@code true}
 * for the defaults, or {@code false} to turn it off) and leaves the others as they are.
 *
 * <pre>{@code
 * gates:
 *   alpha: 0.05                        # significance level of every statistical gate
 *   new_failures: {max: 0}             # case × model that passed every repeat in the baseline and now does not
 *   pass_rate: {max_drop: 0.0}         # fails when the drop exceeds max_drop AND Fisher's exact p < alpha
 *   ttft_p95: {max_increase: 0.20}     # per model: p95 ratio − 1 > max_increase AND Mann-Whitney p < alpha / models
 *   cost_per_trial: {max_increase: 0.10}   # mean cost per trial, run / baseline − 1
 *   cache_hit_ratio: {max_drop: 0.05}  # fails below baseline − max_drop, or below min when set
 * }</pre>
 *
 * Latency gates are {@code <metric>_<percentile>} with metric {@code ttft}, {@code ttfb} or
 * {@code e2e} and percentile {@code p50}, {@code p90}, {@code p95} or {@code p99}; only
 * {@code ttft_p95} is on by default. Mistakes are {@link SuiteException}s that point at the
 * suite's {@code baseline:} section.
 *
 * @param maxNewFailures null when the gate is off
 * @param passRateMaxDrop null when off; an absolute drop in pass rate (0.1 = 10 points)
 * @param costPerTrialMaxIncrease null when off; relative (0.1 = +10 %)
 * @param cacheHitRatioMaxDrop null when off; absolute
 * @param cacheHitRatioMin null when no floor
 */
public record Gates(double alpha, Integer maxNewFailures, Double passRateMaxDrop, List<LatencyGate> latency,
        Double costPerTrialMaxIncrease, Double cacheHitRatioMaxDrop, Double cacheHitRatioMin) {

    /**
     * A latency gate on one percentile of one metric.
     *
     * @param key the YAML key, e.g. {@code ttft_p95}
     * @param metric the sample metric, e.g. {@code ttft_ms}
     * @param quantile 0–1
     * @param maxIncrease relative (0.2 = +20 %)
     */
    public record LatencyGate(String key, String metric, double quantile, double maxIncrease) {
        public String label() {
            return key.substring(0, key.indexOf('_')).toUpperCase() + " " + key.substring(key.indexOf('_') + 1);
        }
    }

    public static final double DEFAULT_ALPHA = 0.05;
    static final Pattern LATENCY_KEY = Pattern.compile("(ttft|ttfb|e2e)_p(50|90|95|99)");
    private static final Set<String> OTHER_KEYS = Set.of("alpha", "new_failures", "pass_rate", "cost_per_trial",
            "cache_hit_ratio");

    public static final Gates DEFAULTS = new Gates(DEFAULT_ALPHA, 0, 0.0,
            List.of(new LatencyGate("ttft_p95", "ttft_ms", 0.95, 0.20)), 0.10, 0.05, null);

    /** The suite's gates merged over {@link #DEFAULTS}; the defaults when it has no baseline section. */
    public static Gates of(BaselineSpec spec) throws SuiteException {
        return spec == null ? DEFAULTS : parse(spec.gates(), spec.location());
    }

    static Gates parse(ObjectNode gates, Location where) throws SuiteException {
        if (gates == null || gates.isEmpty()) {
            return DEFAULTS;
        }
        double alpha = DEFAULTS.alpha;
        Integer newFailures = DEFAULTS.maxNewFailures;
        Double passDrop = DEFAULTS.passRateMaxDrop;
        Double cost = DEFAULTS.costPerTrialMaxIncrease;
        Double cacheDrop = DEFAULTS.cacheHitRatioMaxDrop;
        Double cacheMin = DEFAULTS.cacheHitRatioMin;
        Map<String, LatencyGate> latency = new LinkedHashMap<>();
        DEFAULTS.latency.forEach(g -> latency.put(g.key(), g));
        for (Iterator<Map.Entry<String, JsonNode>> it = gates.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String field = "baseline.gates." + key;
            Matcher m = LATENCY_KEY.matcher(key);
            if (key.equals("alpha")) {
                alpha = number(v, null, field, where, 1e-6, 0.25); // a level of 1 − 2·alpha stays above 0
            } else if (key.equals("new_failures")) {
                only(v, Set.of("max"), field, where);
                newFailures = off(v, field, where) ? null
                        : (int) number(v, "max", field, where, 0, Integer.MAX_VALUE, DEFAULTS.maxNewFailures);
            } else if (key.equals("pass_rate")) {
                only(v, Set.of("max_drop"), field, where);
                passDrop = off(v, field, where) ? null : number(v, "max_drop", field, where, 0, 1, 0.0);
            } else if (key.equals("cost_per_trial")) {
                only(v, Set.of("max_increase"), field, where);
                cost = off(v, field, where) ? null : number(v, "max_increase", field, where, 0, 1e6, 0.10);
            } else if (key.equals("cache_hit_ratio")) {
                if (off(v, field, where)) {
                    cacheDrop = null;
                    cacheMin = null;
                } else {
                    only(v, Set.of("max_drop", "min"), field, where);
                    cacheDrop = v.isObject() && v.has("min") && !v.has("max_drop") ? null
                            : number(v, "max_drop", field, where, 0, 1, 0.05);
                    cacheMin = v.isObject() && v.has("min") ? number(v, "min", field, where, 0, 1, 0.0) : null;
                }
            } else if (m.matches()) {
                only(v, Set.of("max_increase"), field, where);
                if (off(v, field, where)) {
                    latency.remove(key);
                } else {
                    double inc = number(v, "max_increase", field, where, 0, 1e6, 0.20);
                    latency.put(key, new LatencyGate(key, m.group(1) + "_ms", Integer.parseInt(m.group(2)) / 100.0, inc));
                }
            } else if (key.equals("goodput")) {
                throw new SuiteException(where, field, "goodput gates a benchmark (a suite with load:), not an evaluation");
            } else {
                throw new SuiteException(where, field, "unknown gate; gates are " + String.join(", ",
                        new java.util.TreeSet<>(OTHER_KEYS)) + " and latency gates like ttft_p95, e2e_p99, ttfb_p50");
            }
        }
        return new Gates(alpha, newFailures, passDrop, new ArrayList<>(latency.values()), cost, cacheDrop, cacheMin);
    }

    /** {@code false} turns a gate off; {@code true} or a mapping keeps it on. */
    static boolean off(JsonNode v, String field, Location where) throws SuiteException {
        if (v.isBoolean()) {
            return !v.asBoolean();
        }
        if (v.isObject()) {
            return false;
        }
        throw new SuiteException(where, field, "expected a mapping of settings, true (defaults) or false (off)");
    }

    static void only(JsonNode v, Set<String> keys, String field, Location where) throws SuiteException {
        if (v.isObject()) {
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!keys.contains(k)) {
                    throw new SuiteException(where, field + "." + k, "unknown setting; expected " + String.join(" or ",
                            new java.util.TreeSet<>(keys)));
                }
            }
        }
    }

    static double number(JsonNode v, String key, String field, Location where, double min, double max,
            double fallback) throws SuiteException {
        if (!v.isObject()) {
            return fallback;
        }
        return v.has(key) ? number(v.get(key), null, field + "." + key, where, min, max) : fallback;
    }

    static double number(JsonNode v, String ignored, String field, Location where, double min, double max)
            throws SuiteException {
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw new SuiteException(where, field, "expected a number from " + fmt(min) + " to " + fmt(max));
        }
        return v.asDouble();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? Long.toString((long) d) : Double.toString(d);
    }
}
