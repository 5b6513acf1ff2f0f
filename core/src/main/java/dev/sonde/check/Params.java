package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.format.Format;
import com.networknt.schema.format.Formats;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.Suggest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Reads one assertion's parameters for a factory in {@link Checks}. Every problem is a
 * {@link SuiteException} at the assertion's {@code file:line:col} naming the parameter
 * ({@code cases[0].assert[1].max_ms}), and a key that the type does not take is an error with a
 * "did you mean" hint, so a typo never silently turns a check off.
 */
final class Params {
    /** Keys every assertion may carry besides its own parameters: read by the registry and the scorer. */
    static final Set<String> COMMON = Set.of("type", "weight");
    /** Draft 2020-12's own meta-schema (bundled with networknt): a schema with a typo is a suite error. */
    private static final Schema META_SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    /**
     * Where assertion schemas are built: draft 2020-12 with {@code format} asserted (date, date-time,
     * time, email, uri, uuid, ipv4, ipv6, hostname, …), as promptfoo's ajv-formats does. The draft
     * itself makes {@code format} an annotation only, so without this switch {@code format: email}
     * accepted any string.
     */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    /** The {@code format} names the validator asserts (networknt's default list), sorted. */
    static final SortedSet<String> FORMATS = Formats.DEFAULT.stream().map(Format::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    private static final Set<String> DATA_KEYWORDS = Set.of("enum", "const", "default", "examples");

    private final AssertSpec spec;
    private final Graders graders;

    Params(AssertSpec spec) {
        this(spec, Graders.NONE);
    }

    Params(AssertSpec spec, Graders graders) {
        this.spec = spec;
        this.graders = graders;
    }

    AssertSpec spec() {
        return spec;
    }

    /** Where a graded check gets its grader. */
    Graders graders() {
        return graders;
    }

    SuiteException error(String param, String problem) {
        return new SuiteException(spec.location(), spec.field() + "." + param, problem);
    }

    /** Fails on any key that is neither common nor in {@code allowed}. */
    void only(String... allowed) throws SuiteException {
        Set<String> known = new TreeSet<>(COMMON);
        known.addAll(List.of(allowed));
        for (Iterator<String> it = spec.config().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                known.remove("type");
                String hint = closest(key, known);
                throw error(key, "'" + spec.type() + "' takes no '" + key + "'"
                        + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                        + " (parameters: " + String.join(", ", known) + ")");
            }
        }
    }

    boolean has(String param) {
        JsonNode v = spec.config().get(param);
        return v != null && !v.isNull();
    }

    JsonNode node(String param) {
        return spec.config().get(param);
    }

    /** {@code param}: one scalar or a non-empty list of scalars, as strings. */
    List<String> strings(String param) throws SuiteException {
        JsonNode v = spec.config().get(param);
        List<String> out = new ArrayList<>();
        if (v != null && v.isValueNode() && !v.isNull()) {
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
            throw error(param, "'" + spec.type() + "' needs a '" + param + "': a string or a list of strings");
        }
        return out;
    }

    /** {@code param}: one scalar, as a string. */
    String string(String param) throws SuiteException {
        JsonNode v = spec.config().get(param);
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw error(param, "'" + spec.type() + "' needs a '" + param + "': a string");
        }
        return v.asText();
    }

    /** A required number {@code ≥ min} ({@code > min} when {@code exclusive}). */
    double number(String param, double min, boolean exclusive) throws SuiteException {
        JsonNode v = spec.config().get(param);
        if (v == null || !v.isNumber() || (exclusive ? v.asDouble() <= min : v.asDouble() < min)) {
            throw error(param, "'" + spec.type() + "' needs " + (exclusive && min == 0 ? "a positive number"
                    : "a number " + (exclusive ? "> " : "≥ ") + fmt(min)) + " '" + param + "'");
        }
        return v.asDouble();
    }

    /** An optional number in [min, max], or null when absent. */
    Double optionalNumber(String param, double min, double max) throws SuiteException {
        if (!has(param)) {
            return null;
        }
        JsonNode v = spec.config().get(param);
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw error(param, "'" + param + "' must be a number from " + fmt(min) + " to " + fmt(max));
        }
        return v.asDouble();
    }

    /** An optional whole number ≥ 0, or null when absent. */
    Long optionalCount(String param) throws SuiteException {
        if (!has(param)) {
            return null;
        }
        JsonNode v = spec.config().get(param);
        if (!v.canConvertToExactIntegral() || v.asLong() < 0) {
            throw error(param, "'" + param + "' must be a whole number ≥ 0");
        }
        return v.asLong();
    }

    /** A required whole number ≥ 0. */
    long count(String param) throws SuiteException {
        Long v = optionalCount(param);
        if (v == null) {
            throw error(param, "'" + spec.type() + "' needs a whole number ≥ 0 '" + param + "'");
        }
        return v;
    }

    /** Optional {@code minParam}/{@code maxParam} counts, at least one present and min ≤ max. */
    long[] countBounds(String minParam, String maxParam) throws SuiteException {
        Long min = optionalCount(minParam);
        Long max = optionalCount(maxParam);
        if (min == null && max == null) {
            throw error(minParam, "'" + spec.type() + "' needs '" + minParam + "' and/or '" + maxParam + "'");
        }
        if (min != null && max != null && min > max) {
            throw error(minParam, "'" + minParam + "' (" + min + ") is above '" + maxParam + "' (" + max + ")");
        }
        return new long[] {min == null ? -1 : min, max == null ? -1 : max};
    }

    Pattern regex(String param, String value) throws SuiteException {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw error(param, "not a valid regular expression: " + e.getDescription());
        }
    }

    /** A JSON Schema (draft 2020-12), or null when absent and not {@code required}. */
    Schema schema(boolean required) throws SuiteException {
        JsonNode s = spec.config().get("schema");
        if (s == null || s.isNull()) {
            if (required) {
                throw error("schema", "'" + spec.type() + "' needs a 'schema' (a JSON Schema 2020-12 object)");
            }
            return null;
        }
        if (!s.isObject() && !s.isBoolean()) {
            throw error("schema", "a JSON Schema is an object");
        }
        List<com.networknt.schema.Error> problems = META_SCHEMA.validate(s);
        if (!problems.isEmpty()) {
            throw error("schema", "invalid JSON Schema: " + problems.get(0));
        }
        String unknown = unknownFormat(s, "");
        if (unknown != null) {
            throw error("schema", unknown);
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        s.findValues("$id").forEach(id -> ids.add(id.asText()));
        String remote = remoteRef(s, "", ids);
        if (remote != null) {
            throw error("schema", remote);
        }
        try {
            return SCHEMAS.getSchema(s);
        } catch (RuntimeException e) {
            throw error("schema", "invalid JSON Schema: " + e.getMessage());
        }
    }

    /**
     * The first {@code format} in {@code schema} (at any depth: properties, items, $defs, allOf…) that
     * Sonde's validator does not know, described with its JSON pointer, or null. An unknown format is
     * ignored by the validator, so a typo ({@code datetime}, {@code e-mail}) would make a check that
     * can never fail. Data keywords ({@code enum}, {@code const}, {@code default}, {@code examples})
     * are not walked: a {@code format} there is a value, not a keyword.
     */
    private static String unknownFormat(JsonNode schema, String pointer) {
        if (schema.isObject()) {
            JsonNode format = schema.get("format");
            if (format != null && format.isTextual() && !FORMATS.contains(format.asText())) {
                String typo = closest(format.asText(), FORMATS);
                return "unknown JSON Schema format '" + format.asText() + "' at " + pointer
                        + "/format (it would never be checked)" + (typo == null ? "" : "; did you mean '" + typo + "'?")
                        + " Known: " + String.join(", ", FORMATS);
            }
            for (Map.Entry<String, JsonNode> e : schema.properties()) {
                if (!DATA_KEYWORDS.contains(e.getKey())) {
                    String key = e.getKey().replace("~", "~0").replace("/", "~1");
                    String found = unknownFormat(e.getValue(), pointer + "/" + key);
                    if (found != null) {
                        return found;
                    }
                }
            }
        } else if (schema.isArray()) {
            for (int i = 0; i < schema.size(); i++) {
                String found = unknownFormat(schema.get(i), pointer + "/" + i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * The first {@code $ref} / {@code $dynamicRef} in {@code schema} that points outside it, described
     * with its JSON pointer, or null. A reference is inside when it is a fragment ({@code #/$defs/x},
     * {@code #anchor}) or names a {@code $id} the schema itself declares. Nothing a suite writes is
     * ever downloaded, so a remote document could only fail every check at run time: it is refused
     * here instead. Data keywords are not walked.
     */
    private static String remoteRef(JsonNode schema, String pointer, java.util.Set<String> ids) {
        if (schema.isObject()) {
            for (String keyword : List.of("$ref", "$dynamicRef")) {
                JsonNode ref = schema.get(keyword);
                if (ref != null && ref.isTextual()) {
                    String target = ref.asText();
                    int hash = target.indexOf('#');
                    String base = hash < 0 ? target : target.substring(0, hash);
                    if (!base.isEmpty() && !ids.contains(base)) {
                        return "'" + keyword + "' at " + pointer + "/" + keyword + " points outside the schema ('"
                                + Excerpt.of(target) + "'): Sonde never fetches a schema; put it under $defs and "
                                + "refer to it as '#/$defs/…'";
                    }
                }
            }
            for (Map.Entry<String, JsonNode> e : schema.properties()) {
                if (!DATA_KEYWORDS.contains(e.getKey())) {
                    String key = e.getKey().replace("~", "~0").replace("/", "~1");
                    String found = remoteRef(e.getValue(), pointer + "/" + key, ids);
                    if (found != null) {
                        return found;
                    }
                }
            }
        } else if (schema.isArray()) {
            for (int i = 0; i < schema.size(); i++) {
                String found = remoteRef(schema.get(i), pointer + "/" + i, ids);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** The one "did you mean" of every suite name ({@link Suggest}), or null. */
    static String closest(String typo, java.util.Collection<String> candidates) {
        return Suggest.closest(typo, candidates).orElse(null);
    }
}
