package dev.sonde.cli.promptfoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * promptfoo assertions as Sonde's, type by type, by name (the check registry judges them when the
 * suite loads). A {@code not-} prefix is kept where Sonde negates the type. Values and parameters
 * are renamed to Sonde's ({@code threshold} → {@code max_ms} for {@code latency}, {@code
 * max_distance} for {@code levenshtein}, …); string values are Nunjucks templates rewritten as
 * Mustache ({@link Nunjucks}). What has no Sonde meaning (JavaScript, Python, webhooks, moderation
 * APIs, output transforms) is listed as unmapped, never approximated.
 */
final class Assertions {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Types whose {@code value} (and {@code threshold}, where promptfoo has one) carry over as they are. */
    private static final Set<String> PLAIN = Set.of("contains", "icontains", "contains-any", "contains-all", "icontains-any",
            "icontains-all", "starts-with", "ends-with", "regex", "equals", "rouge-n", "bleu", "similar", "llm-rubric",
            "factuality", "model-graded-closedqa", "g-eval", "context-recall", "select-best", "is-refusal");
    /** Types that Sonde has no negation of. */
    private static final Set<String> NOT_NEGATABLE = Set.of("latency", "cost", "select-best", "max-score", "assert-set");
    private static final Set<String> GRADED = Set.of("llm-rubric", "factuality", "model-graded-closedqa", "g-eval",
            "context-faithfulness", "context-recall", "context-relevance", "answer-relevance", "select-best");
    private static final Set<String> WITH_THRESHOLD = Set.of("rouge-n", "bleu", "similar", "llm-rubric", "g-eval",
            "context-faithfulness", "context-recall", "context-relevance", "answer-relevance");
    private static final Map<String, String> UNMAPPABLE = Map.ofEntries(
            Map.entry("javascript", "runs JavaScript; write a custom check (README, Custom checks)"),
            Map.entry("python", "runs Python; write a custom check (README, Custom checks)"),
            Map.entry("webhook", "posts the output to a URL; Sonde sends outputs nowhere but graders"),
            Map.entry("moderation", "calls a moderation API Sonde does not speak"),
            Map.entry("classifier", "runs a Hugging Face classifier"),
            Map.entry("perplexity", "needs token log-probabilities the Messages API does not return"),
            Map.entry("perplexity-score", "needs token log-probabilities the Messages API does not return"),
            Map.entry("is-valid-openai-function-call", "validates against OpenAI function definitions; use tool-args"),
            Map.entry("is-valid-openai-tools-call", "validates against OpenAI tool definitions; use tool-args"),
            Map.entry("is-valid-function-call", "validates against OpenAI function definitions; use tool-args"),
            Map.entry("human", "a person's rating"));
    private static final Set<String> KNOWN_KEYS = Set.of("type", "value", "threshold", "weight", "metric", "provider",
            "rubricPrompt", "transform", "contextTransform", "assert", "config");

    private final Sources sources;
    private final Ledger ledger;
    private final Path config;
    private final Providers providers;

    Assertions(Sources sources, Ledger ledger, Path config, Providers providers) {
        this.sources = sources;
        this.ledger = ledger;
        this.config = config;
        this.providers = providers;
    }

    /** Why an assertion (or a part of it) cannot be carried over. */
    static final class Unmappable extends Exception {
        Unmappable(String why) {
            super(why);
        }
    }

    /**
     * The Sonde assertion for a promptfoo one, or empty when it is unmapped (already listed).
     * {@code vars} collects the variables its templates read outside sections.
     */
    Optional<ObjectNode> map(JsonNode a, Path dir, Set<String> vars, String at) {
        String where = at != null ? at : sources.where(a, config);
        if (a.isTextual() && a.asText().startsWith("file://")) {
            ledger.unmapped(where, "assertion " + a.asText(), "assertions loaded from a file (a JavaScript or Python "
                    + "function, usually) have no Sonde equivalent");
            return Optional.empty();
        }
        if (!a.isObject() || !a.path("type").isTextual()) {
            ledger.unmapped(where, "assertion", "not a mapping with a type");
            return Optional.empty();
        }
        String type = a.get("type").asText().replace("model-graded-factuality", "factuality");
        try {
            ObjectNode out = convert(a, type, dir, vars);
            ledger.mapped();
            extras(a, type, at);
            return Optional.of(out);
        } catch (Unmappable e) {
            ledger.unmapped(where, "assertion " + type, e.getMessage());
            return Optional.empty();
        }
    }

    private void extras(JsonNode a, String type, String at) {
        if (a.has("metric")) {
            ledger.unmapped(where(a.get("metric"), at), "assertion " + type + " metric: " + a.get("metric").asText(),
                    "dropped: Sonde reports each assertion by its type, with no named metrics");
        }
        if (a.has("rubricPrompt")) {
            ledger.unmapped(where(a.get("rubricPrompt"), at), "assertion " + type + " rubricPrompt",
                    "dropped: Sonde's graders use their own prompts, written for Claude");
        }
        if (a.has("provider") && (type.equals("similar") || type.equals("not-similar"))) {
            ledger.unmapped(where(a.get("provider"), at), "assertion " + type + " provider",
                    "dropped: Sonde's similar uses its own embedder (the -Pembeddings build)");
        }
        for (Iterator<String> keys = a.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KNOWN_KEYS.contains(key)) {
                ledger.unmapped(where(a.get(key), at), "assertion " + type + " " + key, "dropped: unknown to promptfoo's schema and to Sonde");
            }
        }
    }

    private ObjectNode convert(JsonNode a, String type, Path dir, Set<String> vars) throws Unmappable {
        if (type.equals("not-levenshtein")) { // levenshtein.ts never reads the not-: promptfoo ran a plain levenshtein
            ledger.note(sources.where(a, config) + ": not-levenshtein imported as levenshtein: promptfoo ignores the not- "
                    + "of this type, so the config's check was a plain levenshtein");
            type = "levenshtein";
        }
        boolean negated = type.startsWith("not-");
        String base = negated ? type.substring(4) : type;
        if (UNMAPPABLE.containsKey(base)) {
            throw new Unmappable(UNMAPPABLE.get(base));
        }
        if (negated && (NOT_NEGATABLE.contains(base) || base.equals("word-count"))) {
            throw new Unmappable("Sonde has no negation of " + base);
        }
        if (a.has("transform")) {
            throw new Unmappable("its transform is JavaScript over the output, which Sonde does not run");
        }
        if (a.has("contextTransform")) {
            throw new Unmappable("its contextTransform is JavaScript, which Sonde does not run; give the context as a var");
        }
        if (a.has("config") && !a.get("config").isEmpty()) {
            throw new Unmappable("its config (" + String.join(", ", iterable(a.get("config").fieldNames())) + ") has no Sonde equivalent");
        }
        ObjectNode out = F.objectNode().put("type", type);
        JsonNode value = a.has("value") ? value(a.get("value"), dir) : null;
        JsonNode threshold = a.get("threshold");
        if (threshold != null && !threshold.isNumber()) {
            throw new Unmappable("threshold is not a number");
        }
        switch (base) {
            case "latency" -> out.set("max_ms", required(threshold, "latency needs a threshold in ms"));
            case "cost" -> out.set("max_usd", required(threshold, "cost needs a threshold in USD"));
            case "levenshtein" -> {
                out.set("value", template(required(value, "levenshtein needs a value"), vars));
                if (threshold != null && threshold.asDouble() < 0) {
                    throw new Unmappable("a levenshtein threshold is a number of edits ≥ 0");
                }
                // promptfoo passes when distance <= threshold (?? 5; 0 means 0): a whole distance, so the floor
                out.put("max_distance", threshold == null ? 5 : (long) Math.floor(threshold.asDouble()));
            }
            case "word-count" -> {
                if (value != null && value.isNumber()) {
                    out.set("min", value);
                    out.set("max", value);
                } else if (value != null && value.isObject() && (value.has("min") || value.has("max"))) {
                    if (value.has("min")) {
                        out.set("min", value.get("min"));
                    }
                    if (value.has("max")) {
                        out.set("max", value.get("max"));
                    }
                } else {
                    throw new Unmappable("word-count needs a number or {min, max}");
                }
            }
            case "is-json", "contains-json" -> {
                if (value != null) {
                    out.set("schema", schema(value));
                }
            }
            case "is-xml", "contains-xml" -> {
                if (value != null) {
                    JsonNode required = value.isObject() ? value.get("requiredElements") : value;
                    if (required == null || !(required.isTextual() || required.isArray())) {
                        throw new Unmappable("its value is neither a list of element paths nor {requiredElements: …}");
                    }
                    out.set("required_elements", required);
                }
            }
            case "is-sql", "contains-sql" -> {
                if (value != null) {
                    sql(value, out);
                }
            }
            case "context-faithfulness", "context-relevance" -> {
                out.put("question", "{{query}}").put("context", "{{context}}");
                vars.add("query");
                vars.add("context");
            }
            case "answer-relevance" -> {
                // the question is the case's prompt by default, as in promptfoo
            }
            case "max-score" -> maxScore(value, out);
            case "assert-set" -> {
                ArrayNode members = out.putArray("assert");
                for (JsonNode member : a.path("assert")) {
                    Optional<ObjectNode> m = map(member, dir, vars, null);
                    if (m.isEmpty()) {
                        throw new Unmappable("a member is unmapped (listed), and the set would mean something else without it");
                    }
                    members.add(m.get());
                }
                if (members.isEmpty()) {
                    throw new Unmappable("an assert-set needs an assert: list");
                }
            }
            default -> {
                if (!PLAIN.contains(base)) {
                    throw new Unmappable("no Sonde equivalent");
                }
                if (value == null && !base.equals("is-refusal")) {
                    throw new Unmappable(base + " needs a value");
                }
            }
        }
        if (PLAIN.contains(base) && value != null) {
            if (base.equals("equals") && (value.isObject() || value.isArray())) {
                throw new Unmappable("promptfoo compares an object or list value as JSON; write is-json with a schema, or json-path");
            }
            out.set("value", template(value, vars));
        }
        if (base.equals("context-recall")) {
            out.put("context", "{{context}}");
            vars.add("context");
        }
        if (threshold != null && (WITH_THRESHOLD.contains(base) || base.equals("assert-set") || base.equals("max-score"))) {
            out.set("threshold", threshold);
        }
        if (a.has("weight")) {
            if (!a.get("weight").isNumber() || a.get("weight").asDouble() < 0) {
                throw new Unmappable("weight is not a number ≥ 0");
            }
            out.set("weight", a.get("weight"));
        }
        if (a.has("provider") && !base.equals("similar")) {
            if (!GRADED.contains(base)) {
                throw new Unmappable("its provider (" + base + " is judged by an embedder or a model Sonde cannot pick here)");
            }
            out.put("grader", grader(a.get("provider")));
        }
        return out;
    }

    private String where(JsonNode node, String at) {
        return at != null ? at : sources.where(node, config);
    }

    /** Whether a mapped assertion is judged by a grader model (and so takes {@code grader:}). */
    static boolean graded(ObjectNode mapped) {
        String type = mapped.path("type").asText();
        return GRADED.contains(type.startsWith("not-") ? type.substring(4) : type);
    }

    /** The Sonde grader for a promptfoo provider reference, or the reason there is none. */
    String grader(JsonNode provider) throws Unmappable {
        if (provider.isObject() && !provider.has("id")) { // promptfoo's per-purpose map: {text: …, embedding: …}
            if (provider.has("text")) {
                return grader(provider.get("text"));
            }
            throw new Unmappable("its grader is an embedding or classification provider ("
                    + String.join(", ", iterable(provider.fieldNames())) + "); Sonde's similar uses its own embedder");
        }
        return providers.grader(provider).orElseThrow(() -> new Unmappable("its grader "
                + (provider.isTextual() ? provider.asText() : provider.path("id").asText())
                + " is not an Anthropic model, nor a model the suite runs"));
    }

    /** A value with {@code file://} loaded: text, or the data of a JSON or YAML file. */
    JsonNode value(JsonNode value, Path dir) throws Unmappable {
        if (!value.isTextual() || !value.asText().startsWith("file://")) {
            return value;
        }
        String ref = value.asText();
        if (ref.matches("(?i).*\\.(js|cjs|mjs|ts|py)(:.*)?$")) {
            throw new Unmappable("its value runs code (" + ref + ")");
        }
        try {
            List<Path> files = sources.resolve(dir, ref);
            if (files.size() != 1) {
                throw new Unmappable(ref + " names " + files.size() + " files");
            }
            Path file = files.get(0);
            return ref.matches("(?i).*\\.(json|ya?ml)$") ? sources.tree(file) : TextNode.valueOf(sources.text(file));
        } catch (Sources.Unreadable | Sources.Invalid e) {
            throw new Unmappable(e.getMessage());
        }
    }

    /** Strings rewritten as Mustache, in lists and mappings too. */
    static JsonNode template(JsonNode value, Set<String> vars) throws Unmappable {
        if (value.isTextual()) {
            return TextNode.valueOf(mustache(value.asText(), vars));
        }
        if (value.isArray()) {
            ArrayNode out = F.arrayNode();
            for (JsonNode v : value) {
                out.add(template(v, vars));
            }
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = F.objectNode();
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                out.set(e.getKey(), template(e.getValue(), vars));
            }
            return out;
        }
        return value;
    }

    static String mustache(String text, Set<String> vars) throws Unmappable {
        return switch (Nunjucks.convert(text)) {
            case Nunjucks.Converted c -> {
                vars.addAll(c.topVars());
                yield c.mustache();
            }
            case Nunjucks.Refused r -> throw new Unmappable(r.construct() + " is " + r.why());
        };
    }

    private JsonNode schema(JsonNode value) throws Unmappable {
        if (value.isObject()) {
            return value;
        }
        if (value.isTextual() && value.asText().strip().startsWith("{")) {
            try {
                JsonNode parsed = sources.parse(config, value.asText());
                if (parsed.isObject()) {
                    return parsed;
                }
            } catch (Sources.Invalid e) {
                throw new Unmappable("its schema does not parse as JSON or YAML");
            }
        }
        throw new Unmappable("its value is not a JSON Schema object");
    }

    private static void sql(JsonNode value, ObjectNode out) throws Unmappable {
        if (!value.isObject()) {
            throw new Unmappable("its value is not {databaseType, allowedTables, allowedColumns}");
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            switch (e.getKey()) {
                case "databaseType" -> out.set("dialect", e.getValue());
                case "allowedTables" -> out.set("allowed_tables", e.getValue());
                case "allowedColumns" -> out.set("allowed_columns", e.getValue());
                default -> throw new Unmappable("its value." + e.getKey() + " has no Sonde equivalent");
            }
        }
    }

    private static void maxScore(JsonNode value, ObjectNode out) throws Unmappable {
        if (value == null) {
            return;
        }
        if (!value.isObject()) {
            throw new Unmappable("its value is not {method, weights, threshold}");
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            switch (e.getKey()) {
                case "method", "weights", "threshold" -> out.set(e.getKey(), e.getValue());
                default -> throw new Unmappable("its value." + e.getKey() + " has no Sonde equivalent");
            }
        }
    }

    private static JsonNode required(JsonNode node, String why) throws Unmappable {
        if (node == null || node.isNull()) {
            throw new Unmappable(why);
        }
        return node;
    }

    private static Iterable<String> iterable(Iterator<String> names) {
        return () -> names;
    }
}
