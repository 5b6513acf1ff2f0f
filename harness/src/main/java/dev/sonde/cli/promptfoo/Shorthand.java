package dev.sonde.cli.promptfoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * promptfoo's assertion shorthand in a CSV {@code __expected} cell: {@code
 * [not-]<type>[(<threshold>)][:<value>]} for a known type; {@code grade:} and {@code llm-rubric:}
 * for a rubric; {@code javascript:}, {@code fn:}, {@code eval:}, {@code python:} and code files are
 * code (unmapped); anything else is an {@code equals} of the whole cell. The cell is trimmed, a
 * {@code -any}/{@code -all} value split on every comma. Only the types promptfoo's csv.ts gives a
 * threshold keep one (the written {@code (n)}, else 0.75; 0.8 for {@code similar}); for any other
 * type promptfoo drops a written {@code (n)}, and so does the import.
 */
final class Shorthand {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** promptfoo's base assertion types (v0.113), which the shorthand recognises. */
    private static final Set<String> TYPES = Set.of("answer-relevance", "assert-set", "bleu", "classifier", "contains",
            "contains-all", "contains-any", "contains-json", "contains-sql", "contains-xml", "context-faithfulness",
            "context-recall", "context-relevance", "cost", "equals", "factuality", "g-eval", "icontains", "icontains-all",
            "icontains-any", "is-json", "is-refusal", "is-sql", "is-valid-function-call", "is-valid-openai-function-call",
            "is-valid-openai-tools-call", "is-xml", "javascript", "latency", "levenshtein", "llm-rubric", "max-score",
            "model-graded-closedqa", "model-graded-factuality", "moderation", "perplexity", "perplexity-score", "python",
            "regex", "rouge-n", "select-best", "similar", "starts-with", "webhook", "word-count", "ends-with");
    private static final Set<String> DEFAULT_THRESHOLD = Set.of("answer-relevance", "classifier", "context-faithfulness",
            "context-recall", "context-relevance", "cost", "latency", "levenshtein", "perplexity-score", "perplexity",
            "rouge-n", "similar", "starts-with");
    private static final Pattern FORM = Pattern.compile("^(not-)?([a-z][a-z-]*[a-z])(?:\\((\\d+(?:\\.\\d+)?)\\))?(?::([\\s\\S]*))?$");

    private Shorthand() {}

    /** The assertion a cell stands for (trimmed first, as csv.ts does), as promptfoo's YAML would write it. */
    static JsonNode parse(String written) throws Assertions.Unmappable {
        String cell = written.strip();
        for (String code : new String[] {"javascript:", "fn:", "eval:", "python:"}) {
            if (cell.startsWith(code)) {
                throw new Assertions.Unmappable("code (" + code + ") has no Sonde equivalent; write a custom check");
            }
        }
        if (cell.startsWith("file://")) {
            throw new Assertions.Unmappable("an assertion from a file runs code");
        }
        if (cell.startsWith("grade:") || cell.startsWith("llm-rubric:")) {
            return F.objectNode().put("type", "llm-rubric").put("value", cell.substring(cell.indexOf(':') + 1));
        }
        Matcher m = FORM.matcher(cell);
        if (!m.matches() || !TYPES.contains(m.group(2))) {
            return F.objectNode().put("type", "equals").put("value", cell);
        }
        String type = m.group(2);
        ObjectNode out = F.objectNode().put("type", (m.group(1) == null ? "" : "not-") + type);
        String value = m.group(4);
        if (value != null && (type.endsWith("-any") || type.endsWith("-all"))) {
            ArrayNode list = out.putArray("value"); // csv.ts splits on every comma, no quoting
            for (String part : value.split(",", -1)) {
                list.add(part.strip());
            }
        } else if (value != null) {
            boolean keep = type.equals("is-json") || type.equals("contains-json");
            out.put("value", keep ? value : value.strip());
        }
        if (DEFAULT_THRESHOLD.contains(type)) { // csv.ts keeps a written threshold for these types only
            out.put("threshold", m.group(3) != null ? Double.parseDouble(m.group(3)) : type.equals("similar") ? 0.8 : 0.75);
        }
        return out;
    }
}
