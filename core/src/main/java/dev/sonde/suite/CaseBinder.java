package dev.sonde.suite;

import static dev.sonde.suite.SuiteLoader.locate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds one validated case node to a {@link CaseSpec} (for a dataset case, once per row): renders
 * its templates over defaults, case and row vars, inlines file attachments, checks the
 * conversation, the models it names and its tool loop, and gives model-graded assertions their
 * default {@code question} ({@link QuestionDefault}). Problems are {@link SuiteException}s at the
 * case's nodes. Split out of {@link SuiteLoader}.
 */
final class CaseBinder {
    /** Distinct assertions and lists kept for sharing; past this, new ones are simply not shared. */
    private static final int MAX_SHARED = 1_024;
    /** Shared by every case: the plan copies a case's params and messages before it sends them. */
    private static final ObjectNode NO_PARAMS = JsonNodeFactory.instance.objectNode();
    private static final TextNode USER = TextNode.valueOf("user");
    private final Path file;
    private final Path dir;
    private final JsonNode root;
    /**
     * What the rows of a dataset case have in common, shared instead of made anew per row (a
     * 100,000-row dataset held 100,000 copies of the same assertion): an assertion that renders the
     * same for every row, the list of them, and the locations of the case's nodes. All immutable
     * once bound (the plan copies what it sends).
     */
    private final Map<AssertSpec, AssertSpec> sharedAsserts = new HashMap<>();
    private final Map<List<AssertSpec>, List<AssertSpec>> sharedLists = new HashMap<>();
    private final Map<JsonNode, Location> locations = new IdentityHashMap<>();
    private volatile boolean frozen;

    CaseBinder(Path file, Path dir, JsonNode root) {
        this.file = file;
        this.dir = dir;
        this.root = root;
    }

    CaseSpec bindCase(JsonNode c, String field, JsonNode defaults, Set<String> modelIds,
            Map<String, Object> rowVars, String caseId, String origin) throws SuiteException {
        Map<String, Object> vars = new LinkedHashMap<>(Templates.values(defaults.get("vars")));
        vars.putAll(Templates.values(c.get("vars")));
        vars.putAll(rowVars);
        Templates templates = new Templates(vars, file, origin);

        ArrayNode messages;
        if (c.has("prompt")) {
            // sized to what it holds: a 100,000-row dataset keeps 100,000 of these
            Map<String, JsonNode> m = new LinkedHashMap<>(4);
            m.put("role", USER);
            m.put("content", TextNode.valueOf(templates.render(c.get("prompt").asText(), c.get("prompt"), field + ".prompt")));
            messages = new ArrayNode(JsonNodeFactory.instance, new ArrayList<>(List.of(new ObjectNode(JsonNodeFactory.instance, m))));
        } else {
            messages = (ArrayNode) templates.renderTree(c.get("messages"), field + ".messages");
            Attachments.inline(messages, c.get("messages"), dir, file, field);
            Conversations.check(c.get("messages"), messages, file, field);
        }
        JsonNode system = c.has("system") ? c.get("system") : defaults.get("system");
        JsonNode renderedSystem = system == null ? null
                : templates.renderTree(system, c.has("system") ? field + ".system" : "defaults.system");

        List<String> models = new ArrayList<>();
        JsonNode onlyModels = c.get("models");
        if (onlyModels != null) {
            for (int j = 0; j < onlyModels.size(); j++) {
                String m = onlyModels.get(j).asText();
                if (!modelIds.contains(m)) {
                    throw new SuiteException(locate(file, onlyModels.get(j)), field + ".models[" + j + "]",
                            "no model with id '" + m + "' (models: " + String.join(", ", modelIds) + ")");
                }
                models.add(m);
            }
        }
        ObjectNode caseParams = c.get("params") instanceof ObjectNode p
                ? (ObjectNode) templates.renderValues(p, field + ".params") : NO_PARAMS;
        List<AssertSpec> asserts = new ArrayList<>();
        addAsserts(asserts, defaults.get("assert"), "defaults.assert", templates, messages);
        addAsserts(asserts, c.get("assert"), field + ".assert", templates, messages);
        JsonNode threshold = c.has("threshold") ? c.get("threshold") : defaults.get("threshold");
        return new CaseSpec(caseId, c.path("description").asText(null), messages, renderedSystem,
                caseParams, List.copyOf(models), shared(sharedLists, List.copyOf(asserts)), located(c),
                threshold == null ? null : threshold.asDouble(),
                c.has("tool_loop") ? new ToolLoopSpec(c.get("tool_loop").path("max_turns").asInt(5),
                        ToolResults.parse(c.get("tool_loop").get("results"), file, field + ".tool_loop.results",
                                templates, declaredTools(caseParams, defaults)))
                        : null);
    }

    private void addAsserts(List<AssertSpec> into, JsonNode list, String field, Templates templates,
            ArrayNode messages) throws SuiteException {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            ObjectNode config = (ObjectNode) templates.renderValues(a, field + "[" + i + "]");
            QuestionDefault.apply(config, a, field + "[" + i + "]", messages, file);
            into.add(shared(sharedAsserts, new AssertSpec(a.get("type").asText(), config, located(a), field + "[" + i + "]")));
        }
    }

    /** {@code value}, or the equal one already bound. */
    private <T> T shared(Map<T, T> seen, T value) {
        T earlier = seen.get(value);
        if (earlier != null) {
            return earlier;
        }
        if (!frozen && seen.size() < MAX_SHARED) {
            seen.put(value, value);
        }
        return value;
    }

    /** Where {@code node} is in the suite file, located once per node. */
    private Location located(JsonNode node) {
        if (frozen) {
            Location known = locations.get(node);
            return known != null ? known : locate(file, node);
        }
        return locations.computeIfAbsent(node, n -> locate(file, n));
    }

    /**
     * The suite has loaded: from now on the binder only reads what it shares, so that cases held
     * as rows ({@link DatasetCases}) may be bound again from any thread.
     */
    void freeze() {
        frozen = true;
    }

    /** The names in {@code params.tools} of the case, every model and the defaults. */
    private Set<String> declaredTools(JsonNode caseParams, JsonNode defaults) {
        Set<String> names = new java.util.LinkedHashSet<>();
        List<JsonNode> levels = new ArrayList<>(List.of(caseParams, defaults.path("params")));
        root.get("models").forEach(m -> levels.add(m.path("params")));
        for (JsonNode params : levels) {
            params.path("tools").forEach(t -> {
                if (t.hasNonNull("name")) {
                    names.add(t.get("name").asText());
                }
            });
        }
        return names;
    }
}
