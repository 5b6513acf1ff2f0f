package dev.sonde.cli.promptfoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * promptfoo prompts as Sonde case bodies: a raw string or a text file (several prompts split by a
 * line {@code ---}) becomes a {@code prompt:}; a chat array (a JSON or YAML file, or a raw string
 * holding one) becomes {@code messages:}, its {@code system} message the case's {@code system}.
 * Globs, {@code {raw|id, label}} objects and {@code {file://a.txt: label}} maps are read;
 * JavaScript and Python prompt functions are unmapped.
 */
final class Prompts {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * One prompt. {@code body} holds {@code prompt} or {@code messages} (and maybe {@code system}),
     * already Mustache; {@code names} are what providers' {@code prompts:} may call it.
     */
    record Prompt(String label, Set<String> names, ObjectNode body, Set<String> vars, String where, String key) {}

    private final Sources sources;
    private final Ledger ledger;
    private final Path config;
    private final List<Prompt> prompts = new ArrayList<>();

    Prompts(Sources sources, Ledger ledger, Path config) {
        this.sources = sources;
        this.ledger = ledger;
        this.config = config;
    }

    List<Prompt> prompts() {
        return List.copyOf(prompts);
    }

    void read(JsonNode node, Path dir) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(p -> read(p, dir));
        } else if (node.isObject() && (node.has("raw") || node.has("id"))) {
            String label = node.path("label").isTextual() ? node.path("label").asText() : null;
            String source = node.has("raw") ? node.get("raw").asText() : node.get("id").asText();
            int before = prompts.size();
            if (node.has("raw") && !source.startsWith("file://")) {
                text(source, label, node, dir);
            } else {
                entry(node.has("raw") ? node.get("raw") : node.get("id"), label, dir);
            }
            if (node.has("config")) {
                config(node.get("config"), before);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                entry(F.textNode(e.getKey()), e.getValue().isTextual() ? e.getValue().asText() : null, dir, e.getValue());
            }
        } else if (node.isTextual()) {
            entry(node, null, dir);
        } else {
            ledger.unmapped(where(node), "prompt", "neither text, a file:// reference nor a {raw, label} object");
        }
    }

    /**
     * A prompt's {@code config} (promptfoo merges it into the provider's for this prompt) as the
     * request fields of its cases; listed as unmapped when a key is not a request field.
     */
    private void config(JsonNode config, int from) {
        if (from == prompts.size()) {
            return; // the prompt itself is unmapped (listed)
        }
        ObjectNode params = F.objectNode();
        for (Map.Entry<String, JsonNode> e : config.properties()) {
            JsonNode mapped = switch (e.getKey()) {
                case "temperature", "max_tokens", "top_p", "top_k", "response_format", "seed" -> e.getValue();
                case "stop" -> e.getValue().isArray() ? e.getValue() : F.arrayNode().add(e.getValue().asText());
                case "tools" -> Tools.toMessages(e.getValue());
                case "tool_choice" -> Tools.choice(e.getValue());
                default -> null;
            };
            if (mapped == null) {
                ledger.unmapped(where(e.getValue()), "prompt config." + e.getKey(), "not a request field Sonde maps");
            } else {
                params.set(e.getKey().equals("stop") ? "stop_sequences" : e.getKey(), mapped);
                ledger.mapped();
            }
        }
        for (int i = from; i < prompts.size(); i++) {
            Prompt p = prompts.get(i);
            p.body().set("params", params);
        }
    }

    private void entry(JsonNode ref, String label, Path dir) {
        entry(ref, label, dir, ref);
    }

    private void entry(JsonNode ref, String label, Path dir, JsonNode at) {
        String text = ref.asText();
        if (!text.startsWith("file://")) {
            text(text, label, at, dir);
            return;
        }
        String path = text.substring("file://".length());
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.matches(".*\\.(js|cjs|mjs|ts|py)(:.*)?$")) {
            ledger.unmapped(where(at), "prompt " + text, "a JavaScript or Python prompt function runs code; write its "
                    + "output as a prompt or messages");
            return;
        }
        List<Path> files;
        try {
            files = sources.resolve(dir, text);
        } catch (Sources.Unreadable e) {
            ledger.unmapped(where(at), "prompt " + text, e.getMessage());
            return;
        }
        if (files.isEmpty()) {
            ledger.unmapped(where(at), "prompt " + text, "no file matches");
        }
        for (Path file : files) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            String fileLabel = label != null && files.size() == 1 ? label
                    : files.size() == 1 ? path : file.getFileName().toString();
            try {
                String content = sources.text(file);
                if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
                    chat(content, file, fileLabel, text, at);
                } else if (name.endsWith(".jsonl")) {
                    int n = 0;
                    for (String line : content.split("\\R")) {
                        if (!line.isBlank()) {
                            chat(line, file, fileLabel + ":" + (++n), text, at);
                        }
                    }
                } else {
                    String[] parts = content.split("(?m)^---\\s*$\\R?");
                    for (int i = 0; i < parts.length; i++) {
                        String part = parts.length == 1 ? parts[i] : parts[i].strip();
                        add(part, parts.length == 1 ? fileLabel : fileLabel + ":" + (i + 1), names(text, fileLabel), at);
                    }
                }
            } catch (Sources.Unreadable e) {
                ledger.unmapped(where(at), "prompt " + text, e.getMessage());
            }
        }
    }

    /** A raw string prompt: a chat array when it parses as one (as promptfoo reads it), else text. */
    private void text(String raw, String label, JsonNode at, Path dir) {
        String name = label != null ? label : raw;
        if (raw.strip().startsWith("[") && raw.strip().endsWith("]")) {
            try {
                JsonNode parsed = sources.parse(config, raw);
                if (isChat(parsed)) {
                    messages(parsed, name, names(raw, name), at);
                    return;
                }
            } catch (Sources.Invalid notJson) {
                // text that happens to start with a bracket
            }
        }
        add(raw, name, names(raw, name), at);
    }

    private void chat(String content, Path file, String label, String ref, JsonNode at) {
        JsonNode parsed;
        try {
            parsed = sources.parse(file, content);
        } catch (Sources.Invalid e) {
            ledger.unmapped(where(at), "prompt " + ref, "promptfoo renders this file before parsing it, and as written "
                    + "it does not parse (" + e.getMessage() + ")");
            return;
        }
        if (!isChat(parsed)) {
            ledger.unmapped(where(at), "prompt " + ref, "not a chat message array [{role, content}]");
            return;
        }
        messages(parsed, label, names(ref, label), at);
    }

    private static boolean isChat(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode m : node) {
            if (!m.path("role").isTextual() || !m.has("content")) {
                return false;
            }
        }
        return true;
    }

    private void messages(JsonNode chat, String label, Set<String> names, JsonNode at) {
        ObjectNode body = F.objectNode();
        ArrayNode messages = F.arrayNode();
        Set<String> vars = new LinkedHashSet<>();
        try {
            StringBuilder system = new StringBuilder();
            for (JsonNode m : chat) {
                String role = m.get("role").asText();
                JsonNode content = m.get("content");
                if (!content.isTextual()) {
                    throw new Assertions.Unmappable("a " + role + " message's content is not text (images and parts are not mapped)");
                }
                String text = Assertions.mustache(content.asText(), vars);
                switch (role) {
                    case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n\n").append(text);
                    case "user", "assistant" -> messages.addObject().put("role", role).put("content", text);
                    default -> throw new Assertions.Unmappable("a message with role " + role);
                }
            }
            if (messages.isEmpty() || !messages.get(0).path("role").asText().equals("user")) {
                throw new Assertions.Unmappable("the conversation does not start with a user message");
            }
            if (!system.isEmpty()) {
                body.put("system", system.toString());
            }
        } catch (Assertions.Unmappable e) {
            ledger.unmapped(where(at), "prompt " + shorten(label), e.getMessage());
            return;
        }
        body.set("messages", messages);
        prompts.add(new Prompt(label, names, body, vars, where(at), key(label, names)));
        ledger.mapped();
    }

    private void add(String text, String label, Set<String> names, JsonNode at) {
        Set<String> vars = new LinkedHashSet<>();
        try {
            String prompt = Assertions.mustache(text, vars);
            prompts.add(new Prompt(label, names, F.objectNode().put("prompt", prompt), vars, where(at), key(label, names)));
            ledger.mapped();
        } catch (Assertions.Unmappable e) {
            ledger.unmapped(where(at), "prompt " + shorten(label), e.getMessage());
        }
    }

    /** The part of case ids that tells this prompt apart: its label, its file, or {@code p<n>} for a raw one. */
    private String key(String label, Set<String> names) {
        boolean raw = names.size() == 1 && names.contains(label);
        return raw ? "p" + (prompts.size() + 1) : Cases.slug(label, 24);
    }

    private static Set<String> names(String reference, String label) {
        return Set.copyOf(new LinkedHashSet<>(List.of(reference, label)));
    }

    static String shorten(String text) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() <= 40 ? "'" + one + "'" : "'" + one.substring(0, 37) + "…'";
    }

    private String where(JsonNode node) {
        return sources.where(node, config);
    }
}
