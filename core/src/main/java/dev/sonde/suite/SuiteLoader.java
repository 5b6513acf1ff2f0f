package dev.sonde.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.serialization.node.LocationJsonNodeFactoryFactory;
import com.networknt.schema.utils.JsonNodes;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.metrics.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a suite file: YAML with line/column kept on every node, validated against
 * {@code dev/sonde/suite.schema.json} (draft 2020-12), then checked for what a schema cannot say
 * (unique ids, known model labels, defined variables) and bound to {@link Suite}. Every problem
 * is a {@link SuiteException} naming {@code file:line:column} and the field; the first problem in
 * file order is the one reported. Thread-safe.
 */
public final class SuiteLoader {
    /** What a case id may be made of (the schema's pattern for {@code cases[].id}). */
    private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9._-]+");
    /** SnakeYAML's and Jackson's own limits raised to a suite's, read in linear time ({@link Yaml}). */
    private static final ObjectMapper YAML = Yaml.mapper().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * The largest suite file read: a suite is text a person writes; 64 MB is far past any. The YAML
     * reader takes a document of as many characters ({@link Yaml#MAX_DOCUMENT_CHARS}), so a file
     * within this limit is never refused by the parser's own.
     */
    static final long MAX_SUITE_BYTES = Yaml.MAX_DOCUMENT_CHARS;

    private SuiteLoader() {}

    public static Suite load(Path file) throws SuiteException {
        return read(file).suite();
    }

    /** A suite and its source as written (for tools that point at {@code file:line:column}), from one parse. */
    public record Loaded(Suite suite, SuiteSource source) {}

    /**
     * Reads, parses, validates and binds {@code file} once, keeping the located YAML tree beside the
     * suite ({@link SuiteSource}), so a command that both runs and lints a suite parses it once.
     */
    public static Loaded read(Path file) throws SuiteException {
        String text;
        try {
            text = BoundedFiles.readText(file, MAX_SUITE_BYTES);
        } catch (NoSuchFileException e) {
            throw new SuiteException(new Location(file, 1, 1), null, "no such suite file");
        } catch (BoundedFiles.Refused e) {
            throw new SuiteException(new Location(file, 1, 1), null, e.getMessage());
        } catch (IOException e) {
            throw new SuiteException(new Location(file, 1, 1), null, "cannot read: " + e.getMessage());
        }
        JsonNode root = parse(file, text);
        String[] lines = text.split("\\R", -1);
        SchemaErrors.validate(file, root, lines);
        return new Loaded(new Binder(file, root).bind(), new SuiteSource(file, root, lines));
    }

    /** Suite files parsed since the process started (tests hold a command to one parse with it). */
    public static long parses() {
        return PARSES.get();
    }

    private static final java.util.concurrent.atomic.AtomicLong PARSES = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The YAML tree of {@code text}, every node carrying its line and column. Refuses what YAML
     * allows but a suite must not mean silently: a key written twice in one mapping (YAML would keep
     * only the last: an {@code assert:} list dropped, a failing case passing) and anchors and
     * aliases (Jackson's YAML reader returns {@code *name} as the text {@code name}).
     */
    static JsonNode parse(Path file, String text) throws SuiteException {
        PARSES.incrementAndGet();
        JsonNode root;
        try (JsonParser parser = new StrictYaml(YAML.getFactory().createParser(text))) {
            JsonNodeFactory nodes = LocationJsonNodeFactoryFactory.getInstance().getJsonNodeFactory(parser);
            root = YAML.reader(nodes).readTree(parser);
            if (root != null && parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new SuiteException(new Location(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr())),
                        null, "a second YAML document (after ---): a suite file is one document, and the rest would be "
                                + "ignored silently");
            }
        } catch (StrictYaml.Refused r) {
            throw new SuiteException(r.at(file), r.field(), r.getMessage());
        } catch (StreamReadException e) {
            Location dup = StrictYaml.duplicate(file, e);
            if (dup != null) {
                throw new SuiteException(dup, StrictYaml.field(e), StrictYaml.duplicateMessage(e));
            }
            throw syntaxError(file, e);
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw new SuiteException(new Location(file, 1, 1), null, "cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new SuiteException(new Location(file, 1, 1), null, "the suite file is empty");
        }
        if (!root.isObject()) {
            throw new SuiteException(locate(file, root), null, "a suite is a mapping with name, models and cases");
        }
        return root;
    }

    private static SuiteException syntaxError(Path file, JsonProcessingException e) {
        // SnakeYAML says "while parsing X / in 'reader', line L, column C: / <snippet> / <problem> / in …":
        // the problem and its position are the last of each.
        JsonLocation at = e.getLocation();
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        int column = at == null ? 1 : Math.max(1, at.getColumnNr());
        String message = e.getOriginalMessage();
        java.util.regex.Matcher m = YAML_MARK.matcher(message);
        while (m.find()) {
            line = Integer.parseInt(m.group(1));
            column = Integer.parseInt(m.group(2));
        }
        String problem = message.lines()
                .filter(l -> !l.isBlank() && !l.startsWith(" ") && !l.startsWith("\t"))
                .reduce((first, second) -> second)
                .orElse("not valid YAML").strip();
        return new SuiteException(new Location(file, line, column), null, "invalid YAML: " + problem);
    }

    private static final java.util.regex.Pattern YAML_MARK =
            java.util.regex.Pattern.compile("line (\\d+), column (\\d+)");

    static Location locate(Path file, JsonNode node) {
        JsonLocation at = node == null ? null : JsonNodes.tokenStreamLocationOf(node);
        if (at == null) {
            return new Location(file, 1, 1);
        }
        return new Location(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
    }

    /** Turns the validated tree into records, checking what the schema cannot. */
    private static final class Binder {
        private final Path file;
        private final Path dir;
        private final JsonNode root;
        private final CaseBinder caseBinder;

        Binder(Path file, JsonNode root) {
            this.file = file;
            this.dir = file.toAbsolutePath().getParent();
            this.root = root;
            this.caseBinder = new CaseBinder(file, dir, root);
        }

        Suite bind() throws SuiteException {
            List<ModelSpec> models = new ArrayList<>();
            Set<String> modelIds = new HashSet<>();
            JsonNode defaults = root.path("defaults");
            for (int i = 0; i < root.get("models").size(); i++) {
                JsonNode m = root.get("models").get(i);
                String id = m.get("id").asText();
                if (!modelIds.add(id)) {
                    throw new SuiteException(locate(file, m.get("id")), "models[" + i + "].id",
                            "duplicate model id '" + id + "'");
                }
                models.add(new ModelSpec(id, m.get("model").asText(), m.path("provider").asText("anthropic"),
                        m.path("stream").asBoolean(true), copyObject(m.get("params")),
                        Headers.check(file, m.get("headers"), "models[" + i + "].headers",
                                m.path("provider").asText(ModelSpec.ANTHROPIC)),
                        m.has("base_url") ? m.get("base_url").asText() : null,
                        m.has("api_key_env") ? m.get("api_key_env").asText() : null, rateLimits(m.get("rate_limits")),
                        m.has("base_url") ? locate(file, m.get("base_url")) : null,
                        m.has("api_key_env") ? locate(file, m.get("api_key_env")) : null,
                        PlatformRules.bind(file, m, i)));
            }
            CaseList.Builder cases = new CaseList.Builder();
            CaseIds caseIds = new CaseIds();
            for (int i = 0; i < root.get("cases").size(); i++) {
                JsonNode c = root.get("cases").get(i);
                String id = c.get("id").asText();
                if (!caseIds.add(id)) {
                    throw new SuiteException(locate(file, c.get("id")), "cases[" + i + "].id",
                            "duplicate case id '" + id + "'");
                }
                if (c.has("cases_from")) {
                    String field = "cases[" + i + "].cases_from";
                    DatasetCases held = DatasetCases.heldAsRows(c) ? new DatasetCases(caseBinder, c, "cases[" + i + "]",
                            defaults, modelIds, id, c.get("cases_from").asText()) : null;
                    int index = i;
                    Datasets.forEach(dir.resolve(c.get("cases_from").asText()).normalize(), locate(file, c.get("cases_from")),
                            field, (r, row) -> {
                                String rowId = DatasetCases.rowId(id, r, row);
                                if (!CASE_ID.matcher(rowId).matches() || !caseIds.add(rowId)) {
                                    throw new SuiteException(locate(file, c.get("cases_from")), field,
                                            "row " + (r + 1) + " makes case id '" + rowId + "', which is "
                                                    + (caseIds.contains(rowId) ? "taken" : "not [A-Za-z0-9._-]+"));
                                }
                                if (held != null) {
                                    held.add(row);
                                } else {
                                    String origin = " in row " + (r + 1) + " of " + c.get("cases_from").asText()
                                            + (row.containsKey("id") ? " (id " + row.get("id") + ")" : "");
                                    cases.add(caseBinder.bindCase(c, "cases[" + index + "]", defaults, modelIds, row, rowId,
                                            origin));
                                }
                            });
                    if (held != null) {
                        cases.add(held);
                    }
                    continue;
                }
                cases.add(caseBinder.bindCase(c, "cases[" + i + "]", defaults, modelIds, Map.of(), id, ""));
            }
            JsonNode run = root.path("run");
            RunSpec runSpec = runSpec(root.path("run"));
            if (runSpec.batch()) {
                for (ModelSpec m : models) {
                    if (m.platform()) {
                        throw new SuiteException(locate(file, run.get("mode")), "run.mode", "model " + m.id() + " runs on "
                                + m.provider() + ", and Message Batches are not offered through the cloud platforms' "
                                + "Claude integrations: use mode: direct, or batch only first-party models");
                    }
                }
            }
            JsonNode emu = root.path("emulator");
            List<Path> rules = new ArrayList<>();
            emu.path("rules").forEach(r -> rules.add(dir.resolve(r.asText()).normalize()));
            EmulatorSpec emulator = new EmulatorSpec(emu.path("seed").asLong(EmulatorSpec.DEFAULT_SEED), rules,
                    emu.has("config") ? dir.resolve(emu.get("config").asText()).normalize() : null);
            for (int i = 0; i < rules.size(); i++) {
                if (!Files.isRegularFile(rules.get(i))) {
                    throw new SuiteException(locate(file, emu.get("rules").get(i)), "emulator.rules[" + i + "]",
                            "no such file: " + rules.get(i));
                }
            }
            Path pricing = root.has("pricing") ? dir.resolve(root.get("pricing").asText()).normalize() : null;
            String endpoint = root.has("endpoint") ? root.get("endpoint").asText() : null;
            BaselineSpec baseline = null;
            if (root.has("baseline")) {
                JsonNode b = root.get("baseline");
                Path baselineFile = b.has("file") ? dir.resolve(b.get("file").asText()).normalize()
                        : dir.resolve("../reports/baselines/" + root.get("name").asText() + ".json").normalize();
                baseline = new BaselineSpec(baselineFile, copyObject(b.get("gates")), locate(file, b));
            }
            if (root.has("load") && root.has("budget")) {
                // a benchmark sends each request once, unreserved: no budget would hold, so none is accepted
                throw new SuiteException(locate(file, root.get("budget")), "budget", "a benchmark (load:) is not held "
                        + "to a budget: its steps send what load: says (max_requests and duration bound them); remove "
                        + "budget:");
            }
            List<CacheVariant> variants = Variants.bind(file, root);
            CaseList built = cases.build();
            Suite suite = new Suite(root.get("name").asText(), file, endpoint, pricing, List.copyOf(models),
                    copyObject(defaults.get("params")), built, runSpec, emulator, baseline,
                    budget(root.get("budget")), rateLimits(root.get("rate_limits")), load(root.get("load")),
                    grader(root.get("grader")), CompareSpec.bind(file, root, modelIds, caseIds.of(built)), variants,
                    root.has("endpoint") ? locate(file, root.get("endpoint")) : null, history());
            Variants.check(suite);
            caseBinder.freeze();
            return suite;
        }

        /**
         * The suite's {@code history:} ({@code true}, {@code false} or a store path relative to the suite);
         * null when absent or false. A benchmark's steps are not trials a store holds, so it is refused.
         */
        private HistorySpec history() throws SuiteException {
            JsonNode h = root.get("history");
            if (h == null || h.isBoolean() && !h.asBoolean()) {
                return null;
            }
            Location at = locate(file, h);
            if (root.has("load")) {
                throw new SuiteException(at, "history", "a benchmark (load:) is not recorded in the run history "
                        + "store, which holds evaluations: remove history:");
            }
            return new HistorySpec(h.isBoolean() ? null : dir.resolve(h.asText()).normalize(), at);
        }

        /** The suite's {@code grader:}, or by default its first model. */
        private GraderSpec grader(JsonNode g) {
            if (g == null) {
                JsonNode first = root.get("models").get(0).get("id");
                return new GraderSpec(first.asText(), JsonNodeFactory.instance.objectNode(), locate(file, first),
                        "models[0].id");
            }
            return new GraderSpec(g.get("model").asText(), copyObject(g.get("params")), locate(file, g.get("model")),
                    "grader.model");
        }

        private static RunSpec runSpec(JsonNode run) {
            RunSpec d = RunSpec.DEFAULT;
            Duration total = seconds(run, "timeout_s", d.timeout());
            JsonNode r = run.path("retry");
            RetrySpec retry = new RetrySpec(r.path("max_attempts").asInt(RetrySpec.DEFAULT.maxAttempts()),
                    millis(r, "base_delay_ms", RetrySpec.DEFAULT.baseDelay()),
                    millis(r, "max_delay_ms", RetrySpec.DEFAULT.maxDelay()),
                    r.path("jitter").asDouble(RetrySpec.DEFAULT.jitter()),
                    seconds(r, "max_retry_after_s", RetrySpec.DEFAULT.maxRetryAfter()));
            return new RunSpec(run.path("concurrency").asInt(d.concurrency()), run.path("repeat").asInt(d.repeat()),
                    total, seconds(run, "first_token_timeout_s", RunSpec.min(total, d.firstTokenTimeout())),
                    seconds(run, "idle_timeout_s", RunSpec.min(total, d.idleTimeout())),
                    seconds(run, "connect_timeout_s", d.connectTimeout()), retry,
                    run.path("mode").asText("direct").equals("batch"));
        }

        private LoadSpec load(JsonNode l) throws SuiteException {
            if (l == null) {
                return null;
            }
            boolean open = l.get("mode").asText().equals("open");
            if (open && !l.has("rate_per_s")) {
                throw new SuiteException(locate(file, l), "load.rate_per_s", "an open load needs a rate_per_s");
            }
            List<Integer> concurrencies = new ArrayList<>();
            JsonNode c = l.path("concurrency");
            if (c.isArray()) {
                c.forEach(n -> concurrencies.add(n.asInt()));
            } else {
                concurrencies.add(c.asInt(1));
            }
            List<Double> rates = new ArrayList<>();
            JsonNode r = l.path("rate_per_s");
            if (r.isArray()) {
                r.forEach(n -> rates.add(n.asDouble()));
            } else if (r.isNumber()) {
                rates.add(r.asDouble());
            }
            JsonNode slo = l.path("slo");
            return new LoadSpec(open ? "open" : "closed", List.copyOf(concurrencies), List.copyOf(rates),
                    l.path("arrivals").asText("constant").equals("poisson"), seconds(l, "duration_s", Duration.ofSeconds(10)),
                    seconds(l, "warmup_s", Duration.ZERO), l.path("max_requests").asInt(100_000),
                    l.path("max_in_flight").asInt(10_000),
                    new LoadSpec.Slo(slo.has("ttft_ms") ? slo.get("ttft_ms").asDouble() : null,
                            slo.has("itl_ms") ? slo.get("itl_ms").asDouble() : null,
                            slo.has("e2e_ms") ? slo.get("e2e_ms").asDouble() : null),
                    l.path("seed").asLong(1), l.path("max_error_rate").asDouble(LoadSpec.DEFAULT_MAX_ERROR_RATE));
        }

        private static BudgetSpec budget(JsonNode b) {
            if (b == null) {
                return BudgetSpec.NONE;
            }
            return new BudgetSpec(b.has("max_usd") ? b.get("max_usd").asDouble() : null,
                    b.has("max_trials") ? b.get("max_trials").asInt() : null,
                    b.has("deadline_s") ? seconds(b, "deadline_s", null) : null);
        }

        private static RateLimitSpec rateLimits(JsonNode r) {
            if (r == null) {
                return RateLimitSpec.NONE;
            }
            return new RateLimitSpec(r.has("requests_per_minute") ? r.get("requests_per_minute").asInt() : null,
                    r.has("input_tokens_per_minute") ? r.get("input_tokens_per_minute").asInt() : null,
                    r.has("output_tokens_per_minute") ? r.get("output_tokens_per_minute").asInt() : null,
                    r.path("adaptive").asBoolean(true));
        }

        private static Duration seconds(JsonNode node, String key, Duration fallback) {
            return node.has(key) ? Duration.ofNanos(Math.round(node.get(key).asDouble() * 1e9)) : fallback;
        }

        private static Duration millis(JsonNode node, String key, Duration fallback) {
            return node.has(key) ? Duration.ofNanos(Math.round(node.get(key).asDouble() * 1e6)) : fallback;
        }

        private static ObjectNode copyObject(JsonNode node) {
            return node instanceof ObjectNode o ? plain(o) : JsonNodeFactory.instance.objectNode();
        }

        /** A copy made of plain Jackson nodes (the location-aware ones stay in the loader). */
        private static ObjectNode plain(ObjectNode o) {
            try {
                return (ObjectNode) Templates.PLAIN.readTree(Templates.PLAIN.writeValueAsString(o));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

    }
}
