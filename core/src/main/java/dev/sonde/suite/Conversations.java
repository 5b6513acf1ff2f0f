package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Load-time checks of a case's {@code messages:} for what the Messages API would reject with a
 * 400, so a bad conversation costs nothing and is reported at its place in the suite:
 * <ul>
 *   <li>the first turn is {@code user};</li>
 *   <li>every turn has content, except a final {@code assistant} turn (a prefill);</li>
 *   <li>a final assistant turn does not end with whitespace;</li>
 *   <li>text blocks are non-empty;</li>
 *   <li>every {@code tool_result} answers a {@code tool_use} of the assistant turn just before it,
 *       and every {@code tool_use} followed by a user turn is answered in that turn.</li>
 * </ul>
 * Consecutive turns of the same role are allowed: the API merges them (API-SPEC §2.1).
 * Checks run on the rendered messages (after templating); errors point at the written ones.
 */
final class Conversations {
    private Conversations() {}

    /**
     * @param written the location-aware {@code messages} node as written in the suite
     * @param rendered the same messages after templating and attachments (same indices)
     */
    static void check(JsonNode written, JsonNode rendered, Path file, String field) throws SuiteException {
        int n = rendered.size();
        for (int i = 0; i < n; i++) {
            JsonNode m = rendered.get(i);
            JsonNode at = written.get(i);
            String here = field + ".messages[" + i + "]";
            String role = m.path("role").asText();
            boolean last = i == n - 1;
            if (i == 0 && !role.equals("user")) {
                throw new SuiteException(SuiteLoader.locate(file, at.get("role")), here + ".role",
                        "a conversation starts with a user turn (the API rejects a first assistant turn)");
            }
            JsonNode content = m.get("content");
            boolean empty = content.isTextual() ? content.asText().isEmpty() : content.isEmpty();
            if (empty && !(last && role.equals("assistant"))) {
                throw new SuiteException(SuiteLoader.locate(file, at.get("content")), here + ".content",
                        "is empty: only a final assistant turn (a prefill) may be empty");
            }
            if (last && role.equals("assistant") && !empty && endsWithSpace(content)) {
                throw new SuiteException(SuiteLoader.locate(file, at.get("content")), here + ".content",
                        "a final assistant turn (a prefill) must not end with whitespace (the API rejects it)");
            }
            for (int b = 0; content.isArray() && b < content.size(); b++) {
                JsonNode block = content.get(b);
                if (block.path("type").asText().equals("text") && block.path("text").asText("").isEmpty()) {
                    throw new SuiteException(SuiteLoader.locate(file, at.get("content").get(b)),
                            here + ".content[" + b + "].text", "text blocks must be non-empty");
                }
            }
            checkToolResults(written, rendered, i, file, here);
        }
    }

    /** Turn {@code i}'s tool_result blocks against the tool_use blocks of turn {@code i - 1}. */
    private static void checkToolResults(JsonNode written, JsonNode rendered, int i, Path file, String here)
            throws SuiteException {
        JsonNode m = rendered.get(i);
        Set<String> asked = i > 0 && rendered.get(i - 1).path("role").asText().equals("assistant")
                ? ids(rendered.get(i - 1).get("content"), "tool_use", "id") : Set.of();
        Set<String> answered = ids(m.get("content"), "tool_result", "tool_use_id");
        JsonNode content = m.get("content");
        for (int b = 0; content.isArray() && b < content.size(); b++) {
            JsonNode block = content.get(b);
            if (block.path("type").asText().equals("tool_result") && !asked.contains(block.path("tool_use_id").asText())) {
                throw new SuiteException(SuiteLoader.locate(file, written.get(i).get("content").get(b)),
                        here + ".content[" + b + "].tool_use_id", "'" + block.path("tool_use_id").asText()
                        + "' answers no tool_use of the assistant turn just before "
                        + (asked.isEmpty() ? "(it has none)" : "(its ids: " + String.join(", ", asked) + ")"));
            }
        }
        if (!m.path("role").asText().equals("user") || asked.isEmpty()) {
            return;
        }
        Set<String> missing = new LinkedHashSet<>(asked);
        missing.removeAll(answered);
        if (!missing.isEmpty()) {
            throw new SuiteException(SuiteLoader.locate(file, written.get(i)), here, "the assistant turn before asks for "
                    + "tool_use " + String.join(", ", missing) + ": this turn must answer each with a tool_result block");
        }
    }

    private static Set<String> ids(JsonNode content, String type, String key) {
        Set<String> ids = new LinkedHashSet<>();
        if (content != null && content.isArray()) {
            content.forEach(b -> {
                if (b.path("type").asText().equals(type)) {
                    ids.add(b.path(key).asText());
                }
            });
        }
        return ids;
    }

    private static boolean endsWithSpace(JsonNode content) {
        String text;
        if (content.isTextual()) {
            text = content.asText();
        } else {
            JsonNode lastBlock = content.get(content.size() - 1);
            if (!lastBlock.path("type").asText().equals("text")) {
                return false;
            }
            text = lastBlock.path("text").asText("");
        }
        return !text.isEmpty() && Character.isWhitespace(text.charAt(text.length() - 1));
    }
}
