package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules from one or more YAML files, in file order then rule order; the first matching rule
 * wins. The format is documented in {@code fixtures/emulator/README.md}. A malformed file fails
 * loading with an {@link IllegalArgumentException} naming the file, the rule and the field.
 * Thread-safe.
 */
final class Rules {
    private static final Set<String> RULE_KEYS = Set.of("name", "match", "reply", "max_matches");
    private static final Set<String> MATCH_KEYS = Set.of("model", "contains", "regex", "ignore_case");
    private static final Set<String> REPLY_KEYS = Set.of("text", "tool_use", "refusal", "error");
    private static final Set<String> ERROR_KEYS =
            Set.of("status", "type", "message", "retry_after", "retry_after_ms", "should_retry", "after_events");
    private static final Map<Integer, String> TYPE_BY_STATUS = Map.ofEntries(
            Map.entry(400, "invalid_request_error"), Map.entry(401, "authentication_error"),
            Map.entry(402, "billing_error"), Map.entry(403, "permission_error"), Map.entry(404, "not_found_error"),
            Map.entry(409, "conflict_error"), Map.entry(413, "request_too_large"),
            Map.entry(429, "rate_limit_error"), Map.entry(500, "api_error"), Map.entry(504, "timeout_error"),
            Map.entry(529, "overloaded_error"));

    private final List<Rule> rules;

    Rules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static Rules load(List<Path> files) {
        List<Rule> rules = new ArrayList<>();
        for (Path file : files) {
            JsonNode root;
            try {
                root = Json.YAML.readTree(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read emulator rules " + file + ": " + e.getMessage(), e);
            }
            JsonNode list = root == null ? null : root.get("rules");
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException(file + ": expected a top-level 'rules:' list");
            }
            for (int i = 0; i < list.size(); i++) {
                rules.add(parse(list.get(i), file + ": rules[" + i + "]"));
            }
        }
        return new Rules(rules);
    }

    Optional<Rule> match(MessagesRequest request) {
        return rules.stream().filter(r -> r.matches(request)).findFirst();
    }

    int size() {
        return rules.size();
    }

    static Rule parse(JsonNode node, String where) {
        keys(node, RULE_KEYS, where);
        JsonNode match = node.path("match");
        if (!match.isMissingNode()) {
            keys(match, MATCH_KEYS, where + ".match");
        }
        boolean ignoreCase = match.path("ignore_case").asBoolean(false);
        Pattern regex = null;
        if (match.hasNonNull("regex")) {
            try {
                regex = Pattern.compile(match.get("regex").asText(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ".match.regex: " + e.getDescription());
            }
        }
        Glob model = match.hasNonNull("model") ? Glob.of(match.get("model").asText()) : null;
        String contains = match.hasNonNull("contains") ? match.get("contains").asText() : null;
        String name = node.path("name").asText(where);
        int maxMatches = node.path("max_matches").asInt(-1);
        return new Rule(name, model, contains, regex, ignoreCase, maxMatches, reply(node.get("reply"), where + ".reply"),
                new AtomicInteger());
    }

    private static Rule.Reply reply(JsonNode reply, String where) {
        if (reply == null || !reply.isObject()) {
            throw new IllegalArgumentException(where + ": required, with one of text, tool_use, refusal, error");
        }
        keys(reply, REPLY_KEYS, where);
        if (reply.has("error")) {
            if (reply.size() > 1) {
                throw new IllegalArgumentException(where + ": 'error' cannot be combined with other replies");
            }
            return failure(reply.get("error"), where + ".error");
        }
        if (reply.has("refusal")) {
            if (reply.has("tool_use")) {
                throw new IllegalArgumentException(where + ": 'refusal' cannot be combined with 'tool_use'");
            }
            JsonNode refusal = reply.get("refusal");
            String text = refusal.isObject() ? refusal.path("text").asText(null) : reply.path("text").asText(null);
            return new Rule.Reply.Refusal(text);
        }
        String text = reply.hasNonNull("text") ? reply.get("text").asText() : null;
        String toolName = null;
        JsonNode input = null;
        if (reply.has("tool_use")) {
            JsonNode tool = reply.get("tool_use");
            if (!tool.hasNonNull("name")) {
                throw new IllegalArgumentException(where + ".tool_use.name: required");
            }
            toolName = tool.get("name").asText();
            input = tool.get("input");
            if (input != null && !input.isObject()) {
                throw new IllegalArgumentException(where + ".tool_use.input: must be a mapping");
            }
        }
        if (text == null && toolName == null) {
            throw new IllegalArgumentException(where + ": needs text, tool_use, refusal or error");
        }
        return new Rule.Reply.Content(text, toolName, input);
    }

    private static Rule.Reply.Failure failure(JsonNode error, String where) {
        keys(error, ERROR_KEYS, where);
        int status = error.path("status").asInt(0);
        String type = error.path("type").asText(null);
        if (status == 0 && type == null) {
            throw new IllegalArgumentException(where + ": needs status or type");
        }
        if (type == null) {
            type = TYPE_BY_STATUS.getOrDefault(status, status >= 500 ? "api_error" : "invalid_request_error");
        }
        if (status == 0) {
            String wanted = type;
            status = TYPE_BY_STATUS.entrySet().stream().filter(e -> e.getValue().equals(wanted))
                    .map(Map.Entry::getKey).findFirst().orElse(500);
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException(where + ".status: must be an HTTP error status (400-599)");
        }
        Map<String, String> headers = new HashMap<>();
        if (error.has("retry_after")) {
            headers.put("retry-after", error.get("retry_after").asText());
        }
        if (error.has("retry_after_ms")) {
            headers.put("retry-after-ms", error.get("retry_after_ms").asText());
        }
        if (error.has("should_retry")) {
            headers.put("x-should-retry", String.valueOf(error.get("should_retry").asBoolean()));
        }
        String message = error.path("message").asText(defaultMessage(type));
        return new Rule.Reply.Failure(new ApiError(status, type, message, headers), error.path("after_events").asInt(-1));
    }

    private static String defaultMessage(String type) {
        return switch (type) {
            case "overloaded_error" -> "Overloaded";
            case "rate_limit_error" -> "Number of request tokens has exceeded your per-minute rate limit";
            case "api_error" -> "Internal server error";
            default -> type.replace('_', ' ');
        };
    }

    private static void keys(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(where + "." + k + ": unknown key (expected one of "
                        + allowed.stream().sorted().toList() + ")");
            }
        });
    }
}
