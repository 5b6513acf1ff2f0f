package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code tool_loop.results}: per tool name (or {@code default}) either one result (a string,
 * or any JSON but a list, sent as its text) or a list of answers {@code {when: {field: value, …},
 * result: …}} with at most one answer without {@code when} (the fallback). A JSON array result is
 * written as an answer ({@code - result: [1, 2]}). Problems are {@link SuiteException}s at the
 * offending node, and so is a key naming no declared tool (with a "did you mean"). {@code when}
 * values and results are templates over the case's vars.
 */
final class ToolResults {
    private static final Set<String> KEYS = Set.of("when", "result");

    private ToolResults() {}

    /**
     * @param templates the case's vars: {@code when} values and results are rendered with them
     *     ({@link Templates#renderValues}), so a dataset row can vary a loop's answers
     * @param declared the tool names the case's requests declare ({@code params.tools} of the case,
     *     its models and the defaults); when not empty, a key naming none of them (but
     *     {@code default}) is an error, since the model could never call it
     */
    static Map<String, List<ToolAnswer>> parse(JsonNode results, Path file, String field, Templates templates,
            Set<String> declared) throws SuiteException {
        Map<String, List<ToolAnswer>> out = new LinkedHashMap<>();
        if (results == null) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = results.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String here = field + "." + f.getKey();
            JsonNode value = f.getValue();
            if (!declared.isEmpty() && !f.getKey().equals(ToolLoopSpec.DEFAULT) && !declared.contains(f.getKey())) {
                throw new SuiteException(SuiteLoader.locate(file, value), here, "no tool '" + f.getKey()
                        + "' is declared in params.tools" + Suggest.closest(f.getKey(), declared)
                                .map(s -> " (did you mean '" + s + "'?)")
                                .orElse(" (tools: " + String.join(", ", declared) + "; 'default' answers any)"));
            }
            if (!value.isArray()) {
                if (value.isNull()) {
                    throw new SuiteException(SuiteLoader.locate(file, value), here, "has no result (write \"\" for an empty one)");
                }
                out.put(f.getKey(), List.of(new ToolAnswer(null, text(templates.renderValues(value, here)))));
                continue;
            }
            if (value.isEmpty()) {
                throw new SuiteException(SuiteLoader.locate(file, value), here,
                        "an empty list: give answers like - {when: {city: Paris}, result: \"15°C\"}");
            }
            List<ToolAnswer> answers = new ArrayList<>();
            boolean fallback = false;
            for (int i = 0; i < value.size(); i++) {
                answers.add(answer(value.get(i), file, here + "[" + i + "]", templates));
                if (answers.get(i).when() == null) {
                    if (fallback) {
                        throw new SuiteException(SuiteLoader.locate(file, value.get(i)), here + "[" + i + "]",
                                "a second answer without 'when': a tool has at most one fallback");
                    }
                    fallback = true;
                }
            }
            out.put(f.getKey(), List.copyOf(answers));
        }
        return out;
    }

    private static ToolAnswer answer(JsonNode entry, Path file, String here, Templates templates) throws SuiteException {
        if (!entry.isObject()) {
            throw new SuiteException(SuiteLoader.locate(file, entry), here,
                    "an answer is a mapping {when: {...}, result: ...} (a JSON array result is written - result: [...])");
        }
        for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw new SuiteException(SuiteLoader.locate(file, entry.get(key)), here + "." + key, "unknown key"
                        + Suggest.closest(key, KEYS).map(s -> " (did you mean '" + s + "'?)").orElse(" (expected when, result)"));
            }
        }
        if (!entry.has("result") || entry.get("result").isNull()) {
            throw new SuiteException(SuiteLoader.locate(file, entry), here, "missing required field 'result'");
        }
        JsonNode when = entry.get("when");
        if (when != null && (!when.isObject() || when.isEmpty())) {
            throw new SuiteException(SuiteLoader.locate(file, when), here + ".when",
                    "is a mapping of input fields to match, e.g. {city: Paris} (leave 'when' out for the fallback)");
        }
        return new ToolAnswer(when == null ? null : templates.renderValues(when, here + ".when"),
                text(templates.renderValues(entry.get("result"), here + ".result")));
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }
}
