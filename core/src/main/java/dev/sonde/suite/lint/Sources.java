package dev.sonde.suite.lint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.suite.Location;
import dev.sonde.suite.SuiteSource;
import dev.sonde.suite.Trial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a part of a trial's request body was written in the suite: the body is built (see
 * {@code Plan}) from the case's {@code system} (else {@code defaults.system}) and {@code messages}
 * (or {@code prompt}), and every other field from the case's {@code params}, else the model's, else
 * {@code defaults.params}. A part this mapping cannot find (say, one a future suite feature adds) is
 * placed at its case. Variables and file blocks do not change the tree's shape, so a body path
 * is also a path in the YAML. Remembers its answers; not thread-safe.
 */
final class Sources {
    /** A Mustache variable or section tag ({@code {{name}}}, {@code {{#name}}}, {@code {{^name}}}, {@code {{&name}}}). */
    private static final Pattern VAR = Pattern.compile("(?<!\\\\)\\{\\{[#^&{]?\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*}?}}");

    /**
     * @param node the YAML node, or null when not found
     * @param location where it is written (the key's position for a {@code cache_control}); the
     *     case's when not found
     * @param field its path in the suite, e.g. {@code defaults.system[0].cache_control}
     */
    record Source(JsonNode node, Location location, String field) {}

    private final SuiteSource source;
    private final Map<Location, Integer> caseIndex = new HashMap<>();
    private final Map<String, Integer> modelIndex = new HashMap<>();
    private final Map<List<Object>, Source> found = new HashMap<>();

    Sources(SuiteSource source) {
        this.source = source;
    }

    /** Where {@code bodyPath} of {@code trial}'s body was written (cached: a dataset's rows share one answer). */
    Source of(Trial trial, List<Object> bodyPath) {
        int c = caseIndex.computeIfAbsent(trial.caseSpec().location(), k -> source.caseIndex(trial.caseSpec()));
        int m = modelIndex.computeIfAbsent(trial.model().id(), k -> source.modelIndex(trial.model()));
        return found.computeIfAbsent(List.of(c, m, bodyPath), k -> find(c, m, bodyPath));
    }

    private Source find(int c, int m, List<Object> bodyPath) {
        JsonNode root = source.root();
        JsonNode caseNode = root.path("cases").get(c);
        String top = (String) bodyPath.get(0);
        List<Written> candidates = new ArrayList<>();
        if (top.equals("messages")) {
            candidates.add(new Written(caseNode, "cases[" + c + "]"));
        } else if (top.equals("system") && (caseNode.has("system") || root.path("defaults").has("system"))) {
            candidates.add(new Written(caseNode, "cases[" + c + "]"));
            candidates.add(new Written(root.path("defaults"), "defaults"));
        } else {
            candidates.add(new Written(caseNode.path("params"), "cases[" + c + "].params"));
            candidates.add(new Written(root.path("models").get(m).path("params"), "models[" + m + "].params"));
            candidates.add(new Written(root.path("defaults").path("params"), "defaults.params"));
        }
        for (Written w : candidates) {
            if (w.parent().has(top) || top.equals("messages") && w.parent().has("prompt")) {
                return walk(w.parent(), w.field(), bodyPath, caseNode, c);
            }
        }
        return new Source(null, source.locate(caseNode), "cases[" + c + "]");
    }

    /** A mapping that may set a body field, and its path in the suite; the first that has it wins. */
    private record Written(JsonNode parent, String field) {}

    private Source walk(JsonNode parent, String field, List<Object> bodyPath, JsonNode caseNode, int c) {
        if (bodyPath.get(0).equals("messages") && !parent.has("messages")) {
            // prompt: "…" is messages[0].content, a string (it can carry no cache_control)
            JsonNode prompt = parent.get("prompt");
            return bodyPath.size() == 3 && Integer.valueOf(0).equals(bodyPath.get(1))
                    ? new Source(prompt, source.locate(prompt), field + ".prompt")
                    : new Source(null, source.locate(caseNode), "cases[" + c + "]");
        }
        JsonNode node = parent;
        StringBuilder path = new StringBuilder(field);
        for (Object part : bodyPath) {
            node = part instanceof Integer i ? node.path(i) : node.path((String) part);
            path.append(part instanceof Integer i ? "[" + i + "]" : "." + part);
            if (node.isMissingNode()) {
                return new Source(null, source.locate(caseNode), "cases[" + c + "]");
            }
        }
        Object last = bodyPath.get(bodyPath.size() - 1);
        Location at = last instanceof String key ? source.keyLocation(key, node) : source.locate(node);
        return new Source(node, at, path.toString());
    }

    /** The variables ({@code {{name}}}) written in the strings under {@code node}, in order, once each. */
    static List<String> variables(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            Matcher v = VAR.matcher(node.asText());
            while (v.find()) {
                if (!out.contains(v.group(1))) {
                    out.add(v.group(1));
                }
            }
            return;
        }
        node.forEach(child -> collect(child, out));
    }
}
