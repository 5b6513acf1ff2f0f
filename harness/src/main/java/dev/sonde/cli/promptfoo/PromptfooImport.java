package dev.sonde.cli.promptfoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sonde import promptfoo}: turns a promptfoo config into the text of a Sonde suite and the
 * list of what it could not carry over. Cases are prompt × test, as promptfoo evaluates them; a test
 * whose vars hold lists becomes one case per combination (promptfoo's cartesian product), at most
 * {@link #MAX_CASES} cases in all. Nothing is fetched and no code runs; every file is read within
 * {@link Sources}' bounds. An {@code apiKey} in the config is never written nor echoed.
 */
public final class PromptfooImport {
    /** The most cases an import writes. */
    static final int MAX_CASES = 10_000;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final YAMLMapper WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    /** The assertion types that need an embedder, without their {@code not-} forms. */
    public static final List<String> EMBEDDING_TYPES = List.of("similar", "answer-relevance");
    private static final Set<String> IGNORED = Set.of("$schema", "outputPath", "sharing", "writeLatestResults", "tags");

    /** A config promptfoo itself would refuse, or one that cannot be read: one line, {@code file:line:col: problem}. */
    public static final class BadConfig extends Exception {
        BadConfig(String message) {
            super(message);
        }
    }

    /**
     * What an import made.
     *
     * @param yaml the suite's text (comments first: the unmapped items), or {@code null} when nothing maps to a runnable suite
     * @param why why there is no suite, when {@code yaml} is {@code null}
     * @param embeddingTypes the types the suite uses that need an embedder ({@code similar}, {@code
     *     answer-relevance}: the {@code -Pembeddings} build), in the order {@link #EMBEDDING_TYPES} lists them
     * @param yamlWithoutEmbeddings the suite without those assertions (what a build with no embedder can
     *     load), or {@code null} when it uses none
     */
    public record Result(String yaml, String why, int mapped, List<Unmapped> unmapped, List<String> notes,
                         List<String> embeddingTypes, String yamlWithoutEmbeddings) {
        /** {@code mapped X of Y items; unmapped: Z}. */
        public String summary() {
            return "mapped " + mapped + " of " + (mapped + unmapped.size()) + " items; unmapped: " + unmapped.size();
        }
    }

    private final Path config;
    private final Path dir;
    private final Sources sources;
    private final Ledger ledger = new Ledger();
    private final Providers providers;
    private final Assertions assertions;
    private final ObjectNode run = F.objectNode();

    private PromptfooImport(Path config, Path dir, List<Path> roots) {
        this.config = config;
        this.dir = dir;
        this.sources = new Sources(roots);
        this.providers = new Providers(sources, ledger, config);
        this.assertions = new Assertions(sources, ledger, config, providers);
    }

    /** Imports {@code config}; {@code suiteName} names the suite when the config has no description. */
    public static Result of(Path config, String suiteName) throws BadConfig {
        return of(config, suiteName, List.of());
    }

    /**
     * Imports {@code config}, reading files in its folder's tree and under {@code allowOutside} (the
     * {@code --allow-outside} folders) only. Paths are made absolute first, so a config named without
     * a folder resolves its references as one named with it.
     */
    public static Result of(Path config, String suiteName, List<Path> allowOutside) throws BadConfig {
        Path absolute = config.toAbsolutePath().normalize();
        List<Path> roots = new ArrayList<>();
        try {
            Path dir = Sources.realFolder(absolute.getParent());
            roots.add(dir);
            for (Path allowed : allowOutside) {
                try {
                    roots.add(Sources.realFolder(allowed.toAbsolutePath().normalize()));
                } catch (Sources.Unreadable e) {
                    throw new BadConfig("--allow-outside " + allowed + ": not a folder that can be read");
                }
            }
            return new PromptfooImport(absolute, dir, roots).convert(suiteName);
        } catch (Sources.Unreadable e) {
            throw new BadConfig(config + ":1:1: " + e.getMessage());
        }
    }

    private Result convert(String suiteName) throws BadConfig {
        JsonNode root;
        try {
            root = sources.tree(config);
        } catch (Sources.Unreadable e) {
            throw new BadConfig(config + ":1:1: " + e.getMessage());
        } catch (Sources.Invalid e) {
            throw new BadConfig(e.getMessage());
        }
        if (!root.isObject()) {
            throw new BadConfig(sources.where(root, config) + ": a promptfoo config is a mapping with prompts, providers and tests");
        }
        if (root.has("providers") && root.has("targets")) {
            throw new BadConfig(sources.where(root.get("targets"), config) + ": targets: both providers and targets are set; promptfoo takes one");
        }
        providers.read(root.has("providers") ? root.get("providers") : root.get("targets"), dir);
        Prompts prompts = new Prompts(sources, ledger, config);
        prompts.read(root.get("prompts"), dir);
        ObjectNode suite = F.objectNode();
        suite.put("name", name(root, suiteName));
        ObjectNode defaults = F.objectNode();
        Set<String> defaultVarsUsed = new LinkedHashSet<>();
        Set<String> defaultExpanding = new LinkedHashSet<>();
        ObjectNode defaultVars = F.objectNode();
        Tests tests = new Tests(sources, ledger, config, dir, assertions, providers);
        JsonNode defaultTest = root.get("defaultTest");
        if (defaultTest != null) {
            defaultTest(defaultTest, tests, suite, defaults, defaultVars, defaultVarsUsed, defaultExpanding);
        }
        tests.read(root.get("tests"), dir);
        others(root);
        List<Providers.Model> models = providers.models();
        if (models.isEmpty()) {
            return none("no provider maps to a Sonde model (Anthropic, or OpenAI-compatible chat)");
        }
        ArrayNode modelList = suite.putArray("models");
        models.forEach(m -> modelList.add(m.yaml()));
        if (suite.has("grader")) { // keep the order name, models, grader
            suite.set("grader", suite.remove("grader"));
        }
        if (!defaults.isEmpty()) {
            suite.set("defaults", defaults);
        }
        ArrayNode cases = suite.putArray("cases");
        List<Tests.Test> all = tests.tests().isEmpty()
                ? List.of(new Tests.Test(null, F.objectNode(), Set.of(), true, List.of(), Set.of(), null, "", "", List.of(), config + ":1:1"))
                : tests.tests();
        Cases builder = new Cases(ledger, models, defaultVars, defaultVarsUsed, defaultExpanding);
        for (int t = 0; t < all.size(); t++) {
            for (Prompts.Prompt prompt : prompts.prompts()) {
                if (!builder.add(cases, all.get(t), t, prompt, prompts.prompts().size() > 1, MAX_CASES)) {
                    t = all.size(); // full: Cases listed where it stopped
                    break;
                }
            }
        }
        if (!run.isEmpty()) {
            suite.set("run", run);
        }
        if (cases.isEmpty()) {
            return none("no case: every prompt × test pair is unmapped (listed above)");
        }
        JsonNode defaultAsserts = defaults.path("assert");
        for (int i = defaultAsserts.size() - 1; i >= 0; i--) {
            ObjectNode a = (ObjectNode) defaultAsserts.get(i);
            if (cases.valueStream().anyMatch(c -> Cases.blankReference(a, c.path("vars")))) {
                ledger.unmapped(defaultTest == null ? config + ":1:1" : sources.where(defaultTest, config),
                        "defaultTest assertion " + a.path("type").asText(), "its reference renders empty for some "
                        + "test (a var that test does not set), and an empty text has no embedding");
                ((ArrayNode) defaultAsserts).remove(i);
            }
        }
        if (defaults.path("assert").isEmpty()) {
            defaults.remove("assert");
        }
        if (defaults.isEmpty()) {
            suite.remove("defaults");
        }
        Set<String> embedding = new LinkedHashSet<>();
        ObjectNode stripped = suite.deepCopy();
        withoutEmbeddings(stripped.path("defaults"), embedding);
        stripped.path("cases").forEach(c -> withoutEmbeddings(c, embedding));
        if (stripped.path("defaults").isEmpty()) {
            stripped.remove("defaults");
        }
        List<String> types = EMBEDDING_TYPES.stream().filter(embedding::contains).toList();
        return new Result(render(suite), null, ledger.mappedCount(), ledger.unmappedItems(), ledger.notes(), types,
                types.isEmpty() ? null : render(stripped));
    }

    /** Takes the embedding types out of a case's (or defaults') {@code assert:}, assert-set members too; names those met. */
    private static void withoutEmbeddings(JsonNode holder, Set<String> met) {
        if (!(holder instanceof ObjectNode owner) || !owner.path("assert").isArray()) {
            return;
        }
        ArrayNode kept = F.arrayNode();
        for (JsonNode a : owner.get("assert")) {
            String base = a.path("type").asText().replaceFirst("^not-", "");
            if (EMBEDDING_TYPES.contains(base)) {
                met.add(base);
                continue;
            }
            withoutEmbeddings(a, met);
            if (!a.path("type").asText().equals("assert-set") || !a.path("assert").isEmpty()) {
                kept.add(a);
            }
        }
        if (kept.isEmpty()) {
            owner.remove("assert");
        } else {
            owner.set("assert", kept);
        }
    }

    private void defaultTest(JsonNode written, Tests tests, ObjectNode suite, ObjectNode defaults, ObjectNode vars, Set<String> used,
                             Set<String> expanding) {
        JsonNode node = written;
        if (node.isTextual()) {
            try {
                node = assertions.value(node, dir);
            } catch (Assertions.Unmappable e) {
                ledger.unmapped(sources.where(node, config), "defaultTest", e.getMessage());
                return;
            }
        }
        JsonNode grader = node.path("options").get("provider");
        if (grader != null) {
            try {
                String model = assertions.grader(grader);
                suite.putObject("grader").put("model", model);
                ledger.mapped();
            } catch (Assertions.Unmappable e) {
                ledger.unmapped(sources.where(grader, config), "defaultTest.options.provider", e.getMessage());
            }
        }
        JsonNode at = node;
        tests.test(node, dir, grader != null).ifPresent(t -> {
            vars.setAll(t.vars());
            used.addAll(t.usedVars());
            expanding.addAll(t.expanding());
            List<ObjectNode> kept = new ArrayList<>();
            for (ObjectNode a : t.asserts()) {
                if (Cases.COMPARE.contains(a.path("type").asText()) && providers.models().size() < 2) {
                    ledger.demote(t.where(), "defaultTest assertion " + a.path("type").asText(), "the suite runs on "
                            + providers.models().size() + " model: promptfoo compares the prompts there, Sonde compares "
                            + "a case's models (select-best and max-score need 2 or more)");
                } else {
                    kept.add(a);
                }
            }
            if (!kept.isEmpty()) {
                ArrayNode list = defaults.putArray("assert");
                kept.forEach(list::add);
            }
            if (t.threshold() != null) {
                defaults.set("threshold", t.threshold());
            }
            if (!t.prefix().isEmpty() || !t.suffix().isEmpty()) {
                ledger.unmapped(sources.where(at, config), "defaultTest prefix/suffix", "no Sonde equivalent in defaults");
            }
        });
    }

    private void others(JsonNode root) {
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            String where = sources.where(e.getValue(), config);
            switch (key) {
                case "providers", "targets", "prompts", "tests", "defaultTest", "description" -> { }
                case "env" -> ledger.unmapped(where, "env", "set these in the environment (or a .env file); a suite holds no settings of the process");
                case "scenarios" -> ledger.unmapped(where, "scenarios", "no Sonde equivalent; write the combinations as cases");
                case "redteam" -> ledger.unmapped(where, "redteam", "red-team generation is not part of Sonde");
                case "evaluateOptions" -> evaluateOptions(e.getValue());
                case "nunjucksFilters" -> ledger.unmapped(where, "nunjucksFilters", "custom filters are JavaScript");
                case "extensions" -> ledger.unmapped(where, "extensions", "extension hooks are JavaScript or Python");
                case "derivedMetrics" -> ledger.unmapped(where, "derivedMetrics", "Sonde has no named metrics");
                default -> {
                    if (!IGNORED.contains(key)) {
                        ledger.unmapped(where, key, "no Sonde equivalent");
                    }
                }
            }
        }
    }

    /** Whether {@code node} has none of {@code keys}. */
    static boolean none(JsonNode node, Set<String> keys) {
        for (String key : keys) {
            if (node.has(key)) {
                return false;
            }
        }
        return true;
    }

    /** {@code maxConcurrency} and {@code repeat} as the suite's {@code run:}; the rest (delays, caching, …) unmapped. */
    private void evaluateOptions(JsonNode options) {
        for (Map.Entry<String, JsonNode> o : options.properties()) {
            String sonde = switch (o.getKey()) {
                case "maxConcurrency" -> "concurrency";
                case "repeat" -> "repeat";
                default -> null;
            };
            if (sonde != null && o.getValue().canConvertToInt() && o.getValue().asInt() >= 1) {
                run.put(sonde, o.getValue().asInt());
                ledger.mapped();
            } else {
                ledger.unmapped(sources.where(o.getValue(), config), "evaluateOptions." + o.getKey(), sonde == null
                        ? "no Sonde equivalent" : "not a whole number ≥ 1");
            }
        }
    }

    private Result none(String why) {
        return new Result(null, why, ledger.mappedCount(), ledger.unmappedItems(), ledger.notes(), List.of(), null);
    }

    private String name(JsonNode root, String fallback) {
        String wanted = root.path("description").isTextual() ? root.get("description").asText() : fallback;
        String slug = wanted.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "imported" : slug;
    }

    private String render(ObjectNode suite) {
        StringBuilder out = new StringBuilder();
        out.append("# Imported from ").append(config.getFileName()).append(" by sonde import promptfoo.\n");
        List<Unmapped> unmapped = ledger.unmappedItems();
        out.append("# mapped ").append(ledger.mappedCount()).append(" of ").append(ledger.mappedCount() + unmapped.size())
                .append(" items; unmapped: ").append(unmapped.size()).append('\n');
        unmapped.forEach(u -> out.append("#   ").append(oneLine(u.toString())).append('\n'));
        ledger.notes().forEach(n -> out.append("# note: ").append(oneLine(n)).append('\n'));
        try {
            out.append(WRITER.writeValueAsString(suite));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the suite: " + e.getOriginalMessage(), e);
        }
        return out.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }
}
