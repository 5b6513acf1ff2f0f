package dev.sonde.suite;

import static dev.sonde.suite.SuiteLoader.locate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code question} a model-graded assertion judges by when it names none: the text of the case's
 * last {@code user} message (its text blocks joined by newlines), written into the assertion's
 * config at bind time — for the types in {@link #TYPES}, their {@code not-} forms, and members of an
 * {@code assert-set} at any depth. A case whose last user message has no text, with such an
 * assertion lacking {@code question}, is a {@link SuiteException} at the assertion. Stateless.
 */
public final class QuestionDefault {
    /** The assertion types that take a {@code question} (the check registry's model-graded templates). */
    public static final Set<String> TYPES = Set.of("factuality", "model-graded-closedqa", "g-eval",
            "context-faithfulness", "context-relevance", "answer-relevance");

    private QuestionDefault() {}

    /**
     * Writes {@code question} into {@code config} (and its set members) where a type of {@link #TYPES}
     * lacks one.
     *
     * @param node the assertion as written, for its location
     * @param messages the case's rendered messages
     */
    static void apply(ObjectNode config, JsonNode node, String field, ArrayNode messages, Path file)
            throws SuiteException {
        String type = config.path("type").asText();
        String base = type.startsWith("not-") ? type.substring(4) : type;
        if (base.equals("assert-set") && config.get("assert") instanceof ArrayNode members) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i) instanceof ObjectNode member) {
                    apply(member, node, field + ".assert[" + i + "]", messages, file);
                }
            }
            return;
        }
        if (!TYPES.contains(base) || (config.has("question") && !config.get("question").isNull())) {
            return;
        }
        String question = lastUserText(messages);
        if (question.isBlank()) {
            throw new SuiteException(locate(file, node), field + ".question", "'" + type + "' needs a 'question', "
                    + "and the case's last user message has no text to default it to: set 'question'");
        }
        config.put("question", question);
    }

    /** The text of the last {@code user} message: a string, or its text blocks joined by newlines; "" when none. */
    static String lastUserText(ArrayNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!"user".equals(m.path("role").asText())) {
                continue;
            }
            JsonNode content = m.get("content");
            if (content != null && content.isTextual()) {
                return content.asText();
            }
            List<String> texts = new ArrayList<>();
            if (content != null && content.isArray()) {
                content.forEach(b -> {
                    if ("text".equals(b.path("type").asText()) && b.path("text").isTextual()) {
                        texts.add(b.get("text").asText());
                    }
                });
            }
            return String.join("\n", texts);
        }
        return "";
    }
}
