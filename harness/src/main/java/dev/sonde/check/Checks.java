package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.PatternSyntaxException;

/**
 * The registry: the one visible place that maps a suite's assertion {@code type} to a check.
 * Every content check also has a {@code not-} form. Parameters are checked here, so a bad one is a
 * {@link SuiteException} at the assertion's {@code file:line:col} before anything is sent.
 */
public final class Checks {

    /** A factory reading its parameters from the assertion. */
    @FunctionalInterface
    private interface Factory {
        Check create(AssertSpec spec) throws SuiteException;
    }

    private static final Map<String, Factory> FACTORIES = new TreeMap<>();
    /** Bounds have no useful negation ("slower than 3 s"), so only these take {@code not-}. */
    private static final java.util.Set<String> NEGATABLE = java.util.Set.of("contains", "icontains", "equals",
            "starts-with", "regex", "is-json", "stop-reason");

    static {
        text("contains", TextCheck.Kind.CONTAINS);
        text("icontains", TextCheck.Kind.ICONTAINS);
        text("equals", TextCheck.Kind.EQUALS);
        text("starts-with", TextCheck.Kind.STARTS_WITH);
        text("regex", TextCheck.Kind.REGEX);
        FACTORIES.put("is-json", spec -> new JsonCheck(schema(spec)));
        FACTORIES.put("stop-reason", spec -> new StopReasonCheck(strings(spec)));
        threshold("latency", ThresholdCheck.Metric.LATENCY, "max_ms");
        threshold("ttft", ThresholdCheck.Metric.TTFT, "max_ms");
        threshold("cost", ThresholdCheck.Metric.COST, "max_usd");
    }

    private Checks() {}

    /** Every accepted {@code type}, {@code not-} forms included, sorted. */
    public static List<String> types() {
        List<String> all = new ArrayList<>();
        for (String t : FACTORIES.keySet()) {
            all.add(t);
            if (NEGATABLE.contains(t)) {
                all.add("not-" + t);
            }
        }
        all.sort(null);
        return all;
    }

    public static Check create(AssertSpec spec) throws SuiteException {
        String type = spec.type();
        boolean negated = type.startsWith("not-");
        String base = negated ? type.substring(4) : type;
        Factory f = FACTORIES.get(base);
        if (f == null || (negated && !NEGATABLE.contains(base))) {
            throw new SuiteException(spec.location(), spec.field() + ".type",
                    "unknown assertion type '" + type + "' (known: " + String.join(", ", types()) + ")");
        }
        Check check = f.create(spec);
        return negated ? new NotCheck(check) : check;
    }

    public static List<Check> createAll(List<AssertSpec> specs) throws SuiteException {
        List<Check> checks = new ArrayList<>(specs.size());
        for (AssertSpec s : specs) {
            checks.add(create(s));
        }
        return List.copyOf(checks);
    }

    private static void text(String type, TextCheck.Kind kind) {
        FACTORIES.put(type, spec -> {
            List<String> values = strings(spec);
            try {
                return new TextCheck(type, kind, values);
            } catch (PatternSyntaxException e) {
                throw new SuiteException(spec.location(), spec.field() + ".value",
                        "not a valid regular expression: " + e.getDescription());
            }
        });
    }

    private static void threshold(String type, ThresholdCheck.Metric metric, String param) {
        FACTORIES.put(type, spec -> {
            JsonNode v = spec.config().get(param);
            if (v == null || !v.isNumber() || v.asDouble() <= 0) {
                throw new SuiteException(spec.location(), spec.field() + "." + param,
                        "'" + type + "' needs a positive number '" + param + "'");
            }
            return new ThresholdCheck(metric, v.asDouble());
        });
    }

    /** {@code value}: one string or a non-empty list of strings. */
    private static List<String> strings(AssertSpec spec) throws SuiteException {
        JsonNode v = spec.config().get("value");
        List<String> out = new ArrayList<>();
        if (v != null && (v.isTextual() || v.isNumber() || v.isBoolean())) {
            out.add(v.asText());
        } else if (v != null && v.isArray() && !v.isEmpty()) {
            for (JsonNode item : v) {
                if (!item.isValueNode() || item.isNull()) {
                    out.clear();
                    break;
                }
                out.add(item.asText());
            }
        }
        if (out.isEmpty()) {
            throw new SuiteException(spec.location(), spec.field() + ".value",
                    "'" + spec.type() + "' needs a 'value': a string or a list of strings");
        }
        return out;
    }

    private static Schema schema(AssertSpec spec) throws SuiteException {
        JsonNode s = spec.config().get("schema");
        if (s == null) {
            return null;
        }
        if (!s.isObject() && !s.isBoolean()) {
            throw new SuiteException(spec.location(), spec.field() + ".schema", "a JSON Schema is an object");
        }
        try {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(s);
        } catch (RuntimeException e) {
            throw new SuiteException(spec.location(), spec.field() + ".schema", "invalid JSON Schema: " + e.getMessage());
        }
    }

}
