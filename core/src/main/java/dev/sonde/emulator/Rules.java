package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.BoundedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules from one or more YAML files, in file order then rule order; the first matching rule
 * wins. The format is documented in {@code fixtures/emulator/README.md}. A malformed file fails
 * loading with an {@link IllegalArgumentException} naming the file, the rule and the field.
 *
 * <p>Recorded rules ({@link Recording}) take their turn in the same order, but match one exact
 * request: the first recorded rule whose {@code request_sha256} is the request's stands for every
 * recorded rule with that hash. Among them, a request saying its suite model ({@value
 * Recording#MODEL_HEADER}) and its repeat ({@value Recording#REPEAT_HEADER}) gets those recorded for
 * both; failing that, those recorded for its model, then for its repeat, then all of them (a client
 * that says neither, or a model or repeat none was recorded for). The n-th such request (counted
 * per choice) gets the n-th, in file order, starting again after the last, so a run against a
 * long-lived emulator replays the same answers each time. Thread-safe.
 */
final class Rules {
    private static final Set<String> RULE_KEYS = Set.of("name", "match", "reply", "max_matches");
    private static final Set<String> MATCH_KEYS =
            Set.of("model", "contains", "regex", "ignore_case", "request_number", "every", "probability",
                    "request_sha256", "repeat", "model_id");
    private static final Set<String> REPLY_KEYS = Set.of("text", "tool_use", "refusal", "error", "fault", "recorded");
    private static final Set<String> ERROR_KEYS =
            Set.of("status", "type", "message", "retry_after", "retry_after_ms", "should_retry", "after_events");
    private final List<Rule> rules;
    /** Recorded rules by {@code sha}, {@code sha#repeat}, {@code sha@model} and {@code sha@model#repeat}, in file order; one counter each. */
    private final Map<String, List<Rule>> recorded = new HashMap<>();
    private final Map<String, AtomicLong> served = new HashMap<>();

    Rules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Rule rule : this.rules) {
            Recording.Key key = rule.recorded();
            if (key != null) {
                List<String> under = new ArrayList<>(List.of(key.sha256()));
                if (key.repeat() >= 0) {
                    under.add(key.sha256() + "#" + key.repeat());
                }
                if (key.modelId() != null) {
                    under.add(key.sha256() + "@" + key.modelId());
                    if (key.repeat() >= 0) {
                        under.add(key.sha256() + "@" + key.modelId() + "#" + key.repeat());
                    }
                }
                under.forEach(u -> recorded.computeIfAbsent(u, k -> new ArrayList<>()).add(rule));
            }
        }
        recorded.keySet().forEach(k -> served.put(k, new AtomicLong()));
    }

    static Rules load(List<Path> files) {
        List<Rule> rules = new ArrayList<>();
        for (Path file : files) {
            JsonNode root;
            try {
                root = Json.readYaml(file);
            } catch (BoundedFiles.Refused e) {
                throw new UncheckedIOException("emulator rules " + e.getMessage(), e); // the message names the file
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
        return match(request, 0, 0);
    }

    /**
     * The first rule matching {@code request}, the {@code requestNumber}-th (1-based)
     * {@code /v1/messages} request; {@code configSeed} drives {@code probability} conditions.
     */
    Optional<Rule> match(MessagesRequest request, long requestNumber, long configSeed) {
        return match(request, requestNumber, configSeed, -1);
    }

    /** As {@link #match(MessagesRequest, long, long)}, for the {@code repeat}-th repeat of a trial (-1: not said). */
    Optional<Rule> match(MessagesRequest request, long requestNumber, long configSeed, int repeat) {
        return match(request, requestNumber, configSeed, new Recording.Asker(null, repeat));
    }

    /** As {@link #match(MessagesRequest, long, long)}, for a request whose model label and repeat were said. */
    Optional<Rule> match(MessagesRequest request, long requestNumber, long configSeed, Recording.Asker asker) {
        String sha = null;
        for (Rule rule : rules) {
            if (rule.recorded() != null) {
                if (sha == null) {
                    sha = Recording.requestSha256(request.sent()); // as the client sent it: what a recorder hashed
                }
                if (rule.recorded().sha256().equals(sha)) {
                    return Optional.of(recordedFor(sha, asker));
                }
            } else if (rule.matches(request, requestNumber, configSeed)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private Rule recordedFor(String sha, Recording.Asker asker) {
        List<String> choices = new ArrayList<>();
        if (asker.modelId() != null) {
            if (asker.repeat() >= 0) {
                choices.add(sha + "@" + asker.modelId() + "#" + asker.repeat());
            }
            choices.add(sha + "@" + asker.modelId());
        }
        if (asker.repeat() >= 0) {
            choices.add(sha + "#" + asker.repeat());
        }
        String key = choices.stream().filter(recorded::containsKey).findFirst().orElse(sha);
        List<Rule> rules = recorded.get(key);
        return rules.get((int) (served.get(key).getAndIncrement() % rules.size()));
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
        JsonNode replyNode = node.get("reply");
        boolean recordedReply = replyNode != null && replyNode.has("recorded");
        if (match.isObject() && Recording.isRecorded(match) || recordedReply) {
            return recorded(node, match, replyNode, where);
        }
        for (String recordedOnly : List.of("repeat", "model_id")) {
            if (match.has(recordedOnly)) {
                throw new IllegalArgumentException(where + ".match." + recordedOnly
                        + ": only with request_sha256 (a recorded rule)");
            }
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
        long requestNumber = match.path("request_number").asLong(0);
        long every = match.path("every").asLong(0);
        double probability = match.path("probability").asDouble(-1);
        if (match.has("probability") && (probability < 0 || probability > 1)) {
            throw new IllegalArgumentException(where + ".match.probability: must be between 0 and 1");
        }
        if (requestNumber < 0 || every < 0) {
            throw new IllegalArgumentException(where + ".match: request_number and every must be >= 1");
        }
        Faults faults = Faults.NONE;
        if (replyNode != null && replyNode.has("fault")) {
            faults = faults(replyNode.get("fault"), where + ".reply.fault");
        }
        Rule.Reply reply = replyNode != null && replyNode.isObject() && replyNode.size() == 1 && replyNode.has("fault")
                ? null : reply(replyNode, where + ".reply");
        return new Rule(name, model, contains, regex, ignoreCase, requestNumber, every, probability, maxMatches, reply,
                faults, new AtomicInteger(), null);
    }

    /** A recorded rule: {@code match: {request_sha256, repeat}} and {@code reply: {recorded: …}}, nothing else. */
    private static Rule recorded(JsonNode node, JsonNode match, JsonNode reply, String where) {
        if (!match.isObject() || !Recording.isRecorded(match)) {
            throw new IllegalArgumentException(where + ".match.request_sha256: required with a recorded reply");
        }
        if (reply == null || !reply.isObject() || reply.size() != 1 || !reply.has("recorded")) {
            throw new IllegalArgumentException(where + ".reply: a recorded rule (request_sha256) answers with "
                    + "'recorded' alone");
        }
        if (node.has("max_matches")) {
            throw new IllegalArgumentException(where + ".max_matches: not for a recorded rule (request_sha256)");
        }
        Recording.Key key = Recording.key(match, where + ".match");
        Rule.Reply.Recorded answer = Recording.reply(reply.get("recorded"), where + ".reply.recorded");
        String name = node.path("name").asText(where);
        return new Rule(name, null, null, null, false, 0, 0, -1, -1, answer, Faults.NONE, new AtomicInteger(), key);
    }

    private static Rule.Reply reply(JsonNode reply, String where) {
        if (reply == null || !reply.isObject()) {
            throw new IllegalArgumentException(where + ": required, with one of text, tool_use, refusal, error, fault");
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
            if (reply.has("fault")) {
                return null;
            }
            throw new IllegalArgumentException(where + ": needs text, tool_use, refusal, error or fault");
        }
        return new Rule.Reply.Content(text, toolName, input);
    }

    private static Rule.Reply.Failure failure(JsonNode error, String where) {
        keys(error, ERROR_KEYS, where);
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
        try {
            ApiError api = ApiError.of(error.path("status").asInt(0), error.path("type").asText(null),
                    error.path("message").asText(null), headers);
            return new Rule.Reply.Failure(api, error.path("after_events").asInt(-1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + (e.getMessage().startsWith("status") ? "." : ": ") + e.getMessage());
        }
    }

    private static Faults faults(JsonNode fault, String where) {
        if (!fault.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
        Map<String, String> spec = new LinkedHashMap<>();
        fault.fields().forEachRemaining(e -> spec.put(e.getKey(), e.getValue().asText()));
        try {
            return Faults.of(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + e.getMessage());
        }
    }

    /** Refuses a node that is not a mapping, or has a key outside {@code allowed} (the message lists them). */
    static void keys(JsonNode node, Set<String> allowed, String where) {
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
