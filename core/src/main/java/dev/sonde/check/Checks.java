package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The registry: the one visible place that maps a suite's assertion {@code type} to a check.
 * Most types also have a {@code not-} form; bounds ({@code latency}, {@code word-count}, …) do
 * not, since their limits already say both directions. Parameters are checked here — an unknown
 * key, a missing or mistyped value, a bad regex, schema or path — so a bad one is a
 * {@link SuiteException} at the assertion's {@code file:line:col} before anything is sent. Every
 * assertion may also carry {@code weight} (a number ≥ 0, default 1), read by {@link #weight}
 * and applied by {@link Scoring}; the checks themselves ignore it.
 */
public final class Checks {

    /** A factory reading its parameters from the assertion. */
    @FunctionalInterface
    private interface Factory {
        Check create(Params p) throws SuiteException;
    }

    /** A registered type: its factory and, when it has no {@code not-} form, why not. */
    private record Entry(Factory factory, String noNegation) {}

    private static final Map<String, Entry> TYPES = new TreeMap<>();
    private static final String BOUND = "it is a bound: set its limits instead";
    private static final int MAX_LEVENSHTEIN = 100_000;
    /** promptfoo's default threshold for levenshtein. */
    private static final int DEFAULT_LEVENSHTEIN = 5;
    private static final int MAX_NGRAM = 10;

    static {
        contains("contains", false, false);
        contains("icontains", true, false);
        contains("contains-any", false, true);
        contains("contains-all", false, false);
        contains("icontains-any", true, true);
        contains("icontains-all", true, false);
        negatable("equals", p -> {
            p.only("value");
            JsonNode value = p.node("value");
            return value != null && value.isObject() ? new EqualsJsonCheck(value) : new EqualsCheck(p.strings("value"));
        });
        negatable("starts-with", p -> {
            p.only("value");
            return new AffixCheck(true, nonEmpty(p));
        });
        negatable("ends-with", p -> {
            p.only("value");
            return new AffixCheck(false, nonEmpty(p));
        });
        negatable("regex", p -> {
            p.only("value");
            List<Pattern> patterns = new ArrayList<>();
            for (String v : nonEmpty(p)) {
                patterns.add(p.regex("value", v));
            }
            return new RegexCheck(patterns);
        });
        negatable("levenshtein", p -> {
            p.only("value", "max_distance");
            long max = p.has("max_distance") ? p.count("max_distance") : DEFAULT_LEVENSHTEIN;
            if (max > MAX_LEVENSHTEIN) {
                throw p.error("max_distance", "'max_distance' must be at most " + MAX_LEVENSHTEIN);
            }
            return new LevenshteinCheck(p.string("value"), (int) max);
        });
        bound("word-count", p -> {
            p.only("min", "max");
            long[] b = p.countBounds("min", "max");
            return new LengthCheck(true, b[0], b[1]);
        });
        bound("char-count", p -> {
            p.only("min", "max");
            long[] b = p.countBounds("min", "max");
            return new LengthCheck(false, b[0], b[1]);
        });

        negatable("is-json", p -> {
            p.only("schema");
            return new JsonCheck("is-json", p.schema(false));
        });
        negatable("json-schema", p -> {
            p.only("schema");
            return new JsonCheck("json-schema", p.schema(true));
        });
        negatable("contains-json", p -> {
            p.only("schema");
            return new ContainsJsonCheck(p.schema(false));
        });
        negatable("json-path", Checks::jsonPath);
        negatable("is-xml", p -> {
            p.only("required_elements");
            return new XmlCheck(requiredElements(p));
        });
        negatable("contains-xml", p -> {
            p.only("required_elements");
            return new ContainsXmlCheck(requiredElements(p));
        });
        negatable("rouge-n", Checks::rouge);
        negatable("bleu", Checks::bleu);
        negatable("is-sql", p -> sql(p, false));
        negatable("contains-sql", p -> sql(p, true));

        negatable("tool-called", p -> {
            p.only("name");
            return new ToolCalledCheck(p.has("name") ? p.string("name") : null);
        });
        negatable("tool-args", Checks::toolArgs);
        TYPES.put("no-tool-call", new Entry(p -> {
            p.only();
            return new NoToolCallCheck();
        }, "use 'tool-called'"));
        negatable("tool-sequence", p -> {
            p.only("value", "exact");
            JsonNode exact = p.node("exact");
            if (exact != null && !exact.isBoolean()) {
                throw p.error("exact", "'exact' is true or false");
            }
            return new ToolSequenceCheck(p.strings("value"), exact != null && exact.asBoolean());
        });

        negatable("stop-reason", p -> {
            p.only("value");
            return new StopReasonCheck(p.strings("value"));
        });
        negatable("is-refusal", p -> {
            p.only();
            return new RefusalCheck();
        });
        negatable("thinking", p -> {
            p.only("min_tokens", "max_tokens");
            boolean bounded = p.has("min_tokens") || p.has("max_tokens");
            long[] b = bounded ? p.countBounds("min_tokens", "max_tokens") : new long[] {-1, -1};
            return new ThinkingCheck(b[0], b[1]);
        });

        threshold("latency", ThresholdCheck.Metric.LATENCY, "max_ms");
        threshold("ttft", ThresholdCheck.Metric.TTFT, "max_ms");
        threshold("itl-p95", ThresholdCheck.Metric.ITL_P95, "max_ms");
        threshold("cost", ThresholdCheck.Metric.COST, "max_usd");
        bound("output-tokens", p -> {
            p.only("min", "max");
            long[] b = p.countBounds("min", "max");
            return new TokenCountCheck(TokenCountCheck.Counter.OUTPUT, b[0], b[1]);
        });
        bound("cache-read-tokens", p -> {
            p.only("min", "max");
            long[] b = p.countBounds("min", "max");
            return new TokenCountCheck(TokenCountCheck.Counter.CACHE_READ, b[0], b[1]);
        });
        bound("cache-hit-ratio", p -> {
            p.only("min");
            Double min = p.optionalNumber("min", 0, 1);
            if (min == null) {
                throw p.error("min", "'cache-hit-ratio' needs 'min': a number from 0 to 1");
            }
            return new CacheHitRatioCheck(min);
        });

        TYPES.put("select-best", new Entry(CompareChecks::selectBest, "it picks one winner per group"));
        TYPES.put("max-score", new Entry(CompareChecks::maxScore, "it picks one winner per group"));
        TYPES.put("assert-set", new Entry(Checks::assertSet,
                "negate its members, or set its 'threshold'"));

        negatable("similar", Checks::similar);
        negatable("llm-rubric", Checks::llmRubric);
        negatable("factuality", ModelGradedChecks::factuality);
        negatable("model-graded-closedqa", ModelGradedChecks::closedQa);
        negatable("g-eval", ModelGradedChecks::gEval);
        negatable("context-faithfulness", ModelGradedChecks::contextFaithfulness);
        negatable("context-recall", ModelGradedChecks::contextRecall);
        negatable("context-relevance", ModelGradedChecks::contextRelevance);
        negatable("answer-relevance", ModelGradedChecks::answerRelevance);
    }

    private Checks() {}

    /** Every accepted {@code type}, {@code not-} forms and custom types included, sorted. */
    public static List<String> types() {
        List<String> all = new ArrayList<>();
        TYPES.forEach((t, e) -> {
            all.add(t);
            if (e.noNegation() == null) {
                all.add("not-" + t);
            }
        });
        custom().providers().keySet().forEach(t -> {
            all.add(t);
            all.add("not-" + t);
        });
        all.sort(null);
        return all;
    }

    private static java.util.Set<String> known(CustomChecks.Index custom) {
        java.util.Set<String> all = new java.util.TreeSet<>(TYPES.keySet());
        all.addAll(custom.providers().keySet());
        return all;
    }

    /** The custom checks on the class path ({@link CheckProvider}), or why they cannot be used. */
    static CustomChecks.Index custom() {
        return CustomChecks.get(TYPES.keySet());
    }

    /** Builds one assertion without graders (an {@code llm-rubric} is then a suite error). */
    public static Check create(AssertSpec spec) throws SuiteException {
        return create(spec, Graders.NONE);
    }

    /**
     * Builds one assertion; graded checks get their grader from {@code graders}.
     *
     * @throws SuiteException for an unknown type, a bad parameter or {@code weight}, an unresolvable
     *     grader, or custom check providers that conflict
     */
    public static Check create(AssertSpec spec, Graders graders) throws SuiteException {
        String type = spec.type();
        boolean negated = type.startsWith("not-");
        String base = negated ? type.substring(4) : type;
        Entry e = TYPES.get(base);
        CustomChecks.Index custom = custom();
        if (custom.problem() != null) {
            throw new SuiteException(spec.location(), spec.field() + ".type", custom.problem());
        }
        CheckProvider provider = custom.providers().get(base);
        if (e == null && provider != null) {
            weight(spec);
            Check check = CustomChecks.create(provider, new Params(spec, graders));
            return negated ? new NotCheck(check) : check;
        }
        if (e == null) {
            String hint = Params.closest(type, types());
            throw new SuiteException(spec.location(), spec.field() + ".type", "unknown assertion type '" + type + "'"
                    + (hint != null ? " (did you mean '" + hint + "'?)" : "") + " (known: "
                    + String.join(", ", known(custom)) + "; not-<type> negates all but bounds, no-tool-call and assert-set)");
        }
        if (negated && e.noNegation() != null) {
            throw new SuiteException(spec.location(), spec.field() + ".type",
                    "'" + type + "' is not a type: '" + base + "' has no not- form (" + e.noNegation() + ")");
        }
        weight(spec);
        Check check = e.factory().create(new Params(spec, graders));
        return negated ? new NotCheck(check) : check;
    }

    /**
     * At most how many grader requests checking one trial against {@code spec} sends: 1 for
     * {@code llm-rubric} and the one-call templates, 2 for {@code context-faithfulness}, 2 per
     * criterion for {@code g-eval}, its members' sum for an {@code assert-set}, 0 for every other type
     * ({@code select-best} asks once per group of trials after the run, not per trial). For the live
     * plan's "up to" figure; the spend itself is what the replies report.
     */
    public static int graderRequests(AssertSpec spec) {
        String type = spec.type().startsWith("not-") ? spec.type().substring(4) : spec.type();
        return switch (type) {
            case "llm-rubric", "factuality", "model-graded-closedqa", "context-recall", "context-relevance",
                    "answer-relevance" -> 1;
            case "context-faithfulness" -> 2;
            case "g-eval" -> 2 * Math.max(1, spec.config().path("value").isArray() ? spec.config().get("value").size() : 1);
            case "assert-set" -> {
                int sum = 0;
                for (JsonNode m : spec.config().path("assert")) {
                    if (m instanceof ObjectNode member && member.path("type").isTextual()) {
                        sum += graderRequests(new AssertSpec(member.get("type").asText(), member, spec.location(),
                                spec.field()));
                    }
                }
                yield sum;
            }
            default -> 0;
        };
    }

    public static List<Check> createAll(List<AssertSpec> specs) throws SuiteException {
        List<Check> checks = new ArrayList<>(specs.size());
        for (AssertSpec s : specs) {
            checks.add(create(s));
        }
        return List.copyOf(checks);
    }

    /**
     * The assertion's {@code weight}: 1 when absent.
     *
     * @throws SuiteException when it is not a finite number ≥ 0
     */
    public static double weight(AssertSpec spec) throws SuiteException {
        JsonNode w = spec.config().get("weight");
        if (w == null || w.isNull()) {
            return 1;
        }
        if (!w.isNumber() || !(w.asDouble() >= 0) || Double.isInfinite(w.asDouble())) {
            throw new SuiteException(spec.location(), spec.field() + ".weight", "'weight' must be a number ≥ 0");
        }
        return w.asDouble();
    }

    private static void negatable(String type, Factory f) {
        TYPES.put(type, new Entry(f, null));
    }

    private static void bound(String type, Factory f) {
        TYPES.put(type, new Entry(f, BOUND));
    }

    private static void contains(String type, boolean ignoreCase, boolean any) {
        boolean quantified = type.endsWith("-any") || type.endsWith("-all");
        negatable(type, p -> {
            p.only("value");
            return new ContainsCheck(type, ignoreCase, any, quantified ? commaValues(p) : nonEmpty(p));
        });
    }

    /**
     * {@code value} as strings, none of them empty: an empty needle always matches, so the check
     * could never fail (promptfoo refuses it too, for contains, icontains, starts-with and regex; ends-with follows).
     */
    private static List<String> nonEmpty(Params p) throws SuiteException {
        List<String> values = p.strings("value");
        if (values.contains("")) {
            throw p.error("value", "'" + p.spec().type() + "' needs a non-empty 'value': an empty one matches any"
                    + " output, so the check could never fail");
        }
        return values;
    }

    /**
     * A quantified contains' values: a list as given; a string split by promptfoo's rule
     * ({@link CommaList}), after templating, since the suite loader renders the value first.
     */
    private static List<String> commaValues(Params p) throws SuiteException {
        JsonNode v = p.node("value");
        if (v == null || !v.isTextual()) {
            return p.strings("value");
        }
        List<String> values;
        try {
            values = CommaList.split(v.asText());
        } catch (IllegalArgumentException e) {
            throw p.error("value", "'" + p.spec().type() + "' splits a string value at commas, and " + e.getMessage()
                    + ": " + Excerpt.of(v.asText()));
        }
        if (values.isEmpty()) {
            throw p.error("value", "'" + p.spec().type() + "' needs a 'value' with at least one entry, but "
                    + Excerpt.of(v.asText()) + " holds only commas and spaces (a list keeps each string whole)");
        }
        return values;
    }

    private static void threshold(String type, ThresholdCheck.Metric metric, String param) {
        bound(type, p -> {
            p.only(param);
            return new ThresholdCheck(metric, p.number(param, 0, true));
        });
    }

    /**
     * {@code required_elements}: a list of dot paths, or one string split at commas and trimmed (a
     * plain split, as promptfoo's); none when absent.
     */
    private static List<String> requiredElements(Params p) throws SuiteException {
        if (!p.has("required_elements")) {
            return List.of();
        }
        JsonNode v = p.node("required_elements");
        List<String> paths = new ArrayList<>();
        for (String s : v.isTextual() ? List.of(v.asText().split(",")) : p.strings("required_elements")) {
            if (!s.isBlank()) {
                paths.add(s.strip());
            }
        }
        if (paths.isEmpty()) {
            throw p.error("required_elements", "'required_elements' needs at least one dot path (e.g. answer.steps.step)");
        }
        return paths;
    }

    private static Check rouge(Params p) throws SuiteException {
        p.only("value", "threshold", "n");
        String reference = p.string("value");
        if (!RougeCheck.hasTokens(reference)) {
            throw p.error("value", "'rouge-n' needs a 'value': the reference text, with at least one word");
        }
        Double threshold = p.optionalNumber("threshold", 0, 1);
        Long n = p.optionalCount("n");
        if (n != null && (n < 1 || n > MAX_NGRAM)) {
            throw p.error("n", "'n' must be a whole number from 1 to " + MAX_NGRAM);
        }
        return new RougeCheck(reference, n == null ? 1 : n.intValue(),
                threshold == null ? RougeCheck.DEFAULT_THRESHOLD : threshold);
    }

    private static Check bleu(Params p) throws SuiteException {
        p.only("value", "threshold");
        List<String> references = p.strings("value");
        if (references.stream().anyMatch(String::isBlank)) {
            throw p.error("value", "'bleu' needs a 'value': a reference text or a list of them, none blank");
        }
        Double threshold = p.optionalNumber("threshold", 0, 1);
        return new BleuCheck(references, threshold == null ? BleuCheck.DEFAULT_THRESHOLD : threshold);
    }

    private static Check sql(Params p, boolean contains) throws SuiteException {
        p.only("dialect", "allowed_tables", "allowed_columns");
        String dialect = "mysql";
        if (p.has("dialect")) {
            dialect = p.string("dialect").strip().toLowerCase(Locale.ROOT);
            if (!SqlCheck.DIALECTS.containsKey(dialect)) {
                throw p.error("dialect", "unknown SQL dialect '" + p.string("dialect") + "' (known: "
                        + String.join(", ", new TreeSet<>(SqlCheck.DIALECTS.keySet())) + ")");
            }
        }
        return new SqlCheck(contains, dialect, nameList(p, "allowed_tables"), nameList(p, "allowed_columns"));
    }

    /** An optional non-empty list of names; null when absent. */
    private static List<String> nameList(Params p, String param) throws SuiteException {
        if (!p.has(param)) {
            return null;
        }
        if (!p.node(param).isArray()) {
            throw p.error(param, "'" + param + "' is a list of names");
        }
        return p.strings(param);
    }

    private static Check jsonPath(Params p) throws SuiteException {
        p.only("path", "equals", "matches");
        String expression = p.string("path");
        JsonPath path;
        try {
            path = JsonPath.parse(expression);
        } catch (IllegalArgumentException e) {
            throw p.error("path", "'" + expression + "': " + e.getMessage());
        }
        JsonNode equals = p.node("equals");
        Pattern matches = p.has("matches") ? p.regex("matches", p.string("matches")) : null;
        return new JsonPathCheck(path, equals, matches);
    }

    private static Check toolArgs(Params p) throws SuiteException {
        p.only("name", "schema", "value");
        String name = p.string("name");
        Schema schema = p.schema(false);
        JsonNode value = p.has("value") ? p.node("value") : null;
        if (schema == null && value == null) {
            throw p.error("schema", "'tool-args' needs a 'schema' and/or a 'value' (the arguments expected)");
        }
        return new ToolArgsCheck(name, schema, value);
    }

    private static Check assertSet(Params p) throws SuiteException {
        p.only("assert", "threshold");
        AssertSpec spec = p.spec();
        JsonNode members = p.node("assert");
        if (members == null || !members.isArray() || members.isEmpty()) {
            throw p.error("assert", "'assert-set' needs 'assert': a non-empty list of assertions");
        }
        Double threshold = p.optionalNumber("threshold", 0, 1);
        List<Check> checks = new ArrayList<>(members.size());
        List<Double> weights = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            String field = spec.field() + ".assert[" + i + "]";
            JsonNode m = members.get(i);
            if (!(m instanceof ObjectNode config) || !config.path("type").isTextual()) {
                throw new SuiteException(spec.location(), field + ".type", "each member of an assert-set is an"
                        + " assertion mapping with a 'type'");
            }
            // Members have no position of their own after templating: errors point at the set.
            AssertSpec member = new AssertSpec(config.get("type").asText(), config, spec.location(), field);
            CompareChecks.refuseInSet(member);
            checks.add(create(member, p.graders()));
            weights.add(weight(member));
        }
        return new AssertSetCheck(checks, weights, threshold);
    }

    private static Check similar(Params p) throws SuiteException {
        p.only("value", "threshold");
        List<String> values = p.strings("value");
        Double threshold = p.optionalNumber("threshold", 0, 1);
        Embedder embedder = Embedders.get();
        if (embedder == null && Embedders.problem() != null) {
            throw p.error("type", "'similar': the embeddings model could not be loaded (" + Embedders.problem() + "): "
                    + Embedders.HOW);
        }
        if (embedder == null) {
            throw p.error("type", "'similar' needs an embeddings model, which this build of Sonde does not include: "
                    + Embedders.HOW);
        }
        try {
            return new SimilarCheck(embedder, values, threshold == null ? SimilarCheck.DEFAULT_THRESHOLD : threshold);
        } catch (RuntimeException e) {
            throw p.error("value", "'similar': embedder " + embedder.model() + " could not embed the values: "
                    + Guarded.describe(e));
        }
    }

    private static Check llmRubric(Params p) throws SuiteException {
        p.only("value", "threshold", "grader");
        if (!p.has("value") || !p.node("value").isTextual() || p.node("value").asText().isBlank()) {
            throw p.error("value", "'" + p.spec().type() + "' needs a 'value': the rubric the grader judges by (text)");
        }
        String rubric = p.node("value").asText();
        Double threshold = p.optionalNumber("threshold", 0, 1);
        return new LlmRubricCheck(rubric, threshold, GraderParam.resolve(p));
    }
}
