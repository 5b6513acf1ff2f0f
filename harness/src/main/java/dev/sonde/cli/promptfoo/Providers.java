package dev.sonde.cli.promptfoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * promptfoo providers ({@code providers:} or {@code targets:}) as Sonde models: {@code
 * anthropic:messages:<m>} and {@code anthropic:<m>} as {@code provider: anthropic}; {@code
 * openai:<m>} and {@code openai:chat:<m>} as {@code provider: openai-chat}; a few OpenAI-compatible
 * gateways at their public base URLs. The request settings of {@code config} go to {@code params};
 * an {@code apiKey} is never written anywhere (the key comes from the environment, as Sonde's keys
 * always do). Everything else is unmapped.
 */
final class Providers {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** OpenAI-compatible gateways whose chat endpoint is {@code <base>/v1/chat/completions}. */
    private static final Map<String, String> GATEWAYS = Map.of(
            "openrouter", "https://openrouter.ai/api",
            "groq", "https://api.groq.com/openai",
            "deepseek", "https://api.deepseek.com",
            "togetherai", "https://api.together.xyz");
    private static final Map<String, String> GATEWAY_KEYS = Map.of(
            "openrouter", "OPENROUTER_API_KEY", "groq", "GROQ_API_KEY", "deepseek", "DEEPSEEK_API_KEY",
            "togetherai", "TOGETHER_API_KEY");
    /** The note an {@code openai:responses:} provider gets. */
    static final String RESPONSES_NOTE = "run through chat completions: the Responses API's own features — built-in tools "
            + "(web_search, mcp, code_interpreter, file_search), reasoning summaries, previous_response_id — are not";
    /** promptfoo's ids for the Claude Agent SDK (an agent, not a model). */
    private static final Set<String> AGENTS = Set.of("claude-agent-sdk", "claude-code");
    /** Chat-completions request fields an {@code openai-chat} model passes through (Sonde sends them as they are). */
    private static final Set<String> OPENAI_PARAMS = Set.of("reasoning_effort", "verbosity");
    private static final Set<String> PARAMS = Set.of("temperature", "max_tokens", "top_p", "top_k", "tools", "tool_choice",
            "thinking", "response_format", "seed", "frequency_penalty", "presence_penalty", "metadata");


    /** A mapped model: its Sonde YAML, and which promptfoo names point at it. */
    record Model(String id, String apiModel, boolean anthropic, ObjectNode yaml, List<String> promptLabels, String pfId, String label) {}

    private final Sources sources;
    private final Ledger ledger;
    private final Path config;
    private final List<Model> models = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    Providers(Sources sources, Ledger ledger, Path config) {
        this.sources = sources;
        this.ledger = ledger;
        this.config = config;
    }

    List<Model> models() {
        return List.copyOf(models);
    }

    /** Reads a {@code providers:} value (a string, a list, a file reference). */
    void read(JsonNode node, Path dir) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(p -> read(p, dir));
            return;
        }
        if (node.isTextual() && node.asText().startsWith("file://")
                && node.asText().matches("(?i).*\\.(ya?ml|json)$")) {
            try {
                for (Path file : sources.resolve(dir, node.asText())) {
                    if (!sources.enter(file)) {
                        ledger.unmapped(where(node), "provider " + node.asText(), file + " is being read already (it "
                                + "names itself, directly or through other files); not read again");
                        continue;
                    }
                    try {
                        read(sources.tree(file), file.getParent());
                    } finally {
                        sources.leave(file);
                    }
                }
            } catch (Sources.Unreadable | Sources.Invalid e) {
                ledger.unmapped(where(node), "provider " + node.asText(), e.getMessage());
            }
            return;
        }
        one(node, dir);
    }

    private void one(JsonNode node, Path dir) {
        String pfId;
        JsonNode settings;
        if (node.isTextual()) {
            pfId = node.asText();
            settings = F.objectNode();
        } else if (node.isObject() && node.has("id")) {
            pfId = node.path("id").asText();
            settings = node;
        } else if (node.isObject() && node.size() == 1 && node.elements().next().isObject()) {
            pfId = node.fieldNames().next();
            settings = node.elements().next();
        } else {
            ledger.unmapped(where(node), "provider", "neither an id, an {id: …} object nor a one-key map");
            return;
        }
        Optional<ObjectNode> yaml = target(pfId, node);
        if (yaml.isEmpty()) {
            return;
        }
        ObjectNode model = yaml.get();
        boolean anthropic = model.path("provider").asText().equals("anthropic");
        String label = settings.path("label").isTextual() ? settings.path("label").asText() : null;
        String id = uniqueId(label != null ? label : model.path("model").asText());
        ObjectNode out = F.objectNode().put("id", id);
        out.setAll(model);
        JsonNode config = settings.path("config");
        ObjectNode params = F.objectNode();
        boolean responses = pfId.startsWith("openai:responses:");
        if (responses) {
            ledger.note(pfId + ": " + RESPONSES_NOTE);
        }
        config.properties().forEach(e -> {
            if (!responses || !responsesParam(e.getKey(), e.getValue(), params, pfId, dir)) {
                param(e.getKey(), e.getValue(), anthropic, params, out, pfId, dir);
            }
        });
        if (anthropic && !params.has("max_tokens")) {
            params.put("max_tokens", 1024);
            ledger.note(pfId + ": max_tokens set to 1024 (the Messages API requires it; promptfoo's default too)");
        }
        if (!params.isEmpty()) {
            out.set("params", params);
        }
        List<String> promptLabels = new ArrayList<>();
        settings.path("prompts").forEach(p -> promptLabels.add(p.asText()));
        if (settings.has("transform")) {
            ledger.unmapped(where(settings.get("transform")), "provider " + pfId + " transform", "a JavaScript transform of the output has no Sonde equivalent");
        }
        settings.properties().forEach(e -> {
            switch (e.getKey()) {
                case "id", "label", "config", "prompts", "transform" -> { }
                case "delay" -> ledger.unmapped(where(e.getValue()), "provider " + pfId + " delay",
                        "Sonde paces requests with run.concurrency and its rate limiter, not a fixed delay");
                case "env" -> ledger.unmapped(where(e.getValue()), "provider " + pfId + " env",
                        "set these in the environment; a suite holds no settings of the process (their values are never written nor printed)");
                default -> ledger.unmapped(where(e.getValue()), "provider " + pfId + " " + e.getKey(), "no Sonde equivalent");
            }
        });
        ledger.mapped();
        models.add(new Model(id, model.path("model").asText(), anthropic, out, promptLabels, pfId, label));
    }

    /** {@code provider}, {@code model} and any {@code base_url} for a promptfoo id, or empty (listed as unmapped). */
    private Optional<ObjectNode> target(String pfId, JsonNode at) {
        String[] parts = pfId.split(":", -1);
        String family = parts[0].toLowerCase(Locale.ROOT);
        ObjectNode out = F.objectNode();
        if (family.equals("anthropic") && parts.length == 2 && AGENTS.contains(parts[1])) {
            ledger.unmapped(where(at), "provider " + pfId, "runs the Claude Agent SDK (an agent loop with tools, files "
                    + "and MCP servers), not one Messages API call");
            return Optional.empty();
        }
        if (family.equals("anthropic")) {
            String model = parts.length == 3 && parts[1].equals("messages") ? parts[2] : parts.length == 2 ? parts[1] : null;
            if (model == null || model.isBlank()) {
                ledger.unmapped(where(at), "provider " + pfId, parts.length == 3 && parts[1].equals("completion")
                        ? "the legacy Text Completions API is not the Messages API" : "not an anthropic:messages:<model> id");
                return Optional.empty();
            }
            return Optional.of(out.put("model", model).put("provider", "anthropic"));
        }
        if (family.equals("openai")) {
            String model = parts.length == 3 && (parts[1].equals("chat") || parts[1].equals("responses")) ? parts[2]
                    : parts.length == 2 && !Set.of("chat", "responses", "assistant", "realtime", "embedding", "embeddings",
                            "image", "completion", "moderation").contains(parts[1]) ? parts[1] : null;
            if (model == null || model.isBlank()) {
                ledger.unmapped(where(at), "provider " + pfId, "only OpenAI's chat completions API (and the Responses API's "
                        + "models, run through it) maps to provider: openai-chat");
                return Optional.empty();
            }
            return Optional.of(out.put("model", model).put("provider", "openai-chat"));
        }
        if (GATEWAYS.containsKey(family) && parts.length >= 2) {
            String model = pfId.substring(family.length() + 1);
            if (model.startsWith("chat:")) {
                model = model.substring("chat:".length());
            }
            return Optional.of(out.put("model", model).put("provider", "openai-chat").put("base_url", GATEWAYS.get(family))
                    .put("api_key_env", GATEWAY_KEYS.get(family)));
        }
        ledger.unmapped(where(at), "provider " + pfId, "Sonde speaks the Anthropic Messages API and OpenAI-compatible chat "
                + "completions only");
        return Optional.empty();
    }

    /**
     * A Responses API setting with a chat-completions equivalent, written as that; false for a key
     * the ordinary {@link #param} handles (temperature, top_p, …). The Responses API's own features
     * are listed as unmapped here.
     */
    private boolean responsesParam(String key, JsonNode value, ObjectNode params, String pfId, Path dir) {
        String what = "provider " + pfId + " config." + key;
        switch (key) {
            case "max_output_tokens" -> {
                params.set("max_tokens", value);
                ledger.mapped();
            }
            case "reasoning_effort" -> {
                params.set("reasoning_effort", value);
                ledger.mapped();
            }
            case "reasoning" -> {
                for (Map.Entry<String, JsonNode> r : value.properties()) {
                    if (r.getKey().equals("effort") && r.getValue().isTextual()) {
                        params.set("reasoning_effort", r.getValue());
                        ledger.mapped();
                    } else {
                        ledger.unmapped(where(r.getValue()), what + "." + r.getKey(), "the Responses API's own (reasoning "
                                + "summaries and the like); chat completions has reasoning_effort only");
                    }
                }
                if (!value.isObject()) {
                    ledger.unmapped(where(value), what, "not a mapping");
                }
            }
            case "text" -> {
                for (Map.Entry<String, JsonNode> t : value.properties()) {
                    JsonNode format = t.getKey().equals("format") ? responseFormat(t.getValue()) : null;
                    if (format != null) {
                        params.set("response_format", format);
                        ledger.mapped();
                    } else {
                        ledger.unmapped(where(t.getValue()), what + "." + t.getKey(), "no chat-completions equivalent");
                    }
                }
            }
            case "response_format" -> {
                JsonNode v = value;
                if (v.isTextual() && v.asText().startsWith("file://")) {
                    try {
                        List<Path> files = sources.resolve(dir, v.asText());
                        if (files.size() != 1) {
                            ledger.unmapped(where(value), what, v.asText() + " names " + files.size() + " files");
                            return true;
                        }
                        v = sources.tree(files.get(0));
                    } catch (Sources.Unreadable | Sources.Invalid e) {
                        ledger.unmapped(where(value), what, e.getMessage());
                        return true;
                    }
                }
                JsonNode format = responseFormat(v);
                if (format == null) {
                    ledger.unmapped(where(value), what, "neither json_object nor a json_schema format");
                } else {
                    params.set("response_format", format);
                    ledger.mapped();
                }
            }
            case "tools" -> {
                ArrayNode kept = F.arrayNode();
                for (JsonNode tool : value) {
                    JsonNode mapped = responsesTool(tool);
                    if (mapped != null) {
                        kept.add(mapped);
                        ledger.mapped();
                    } else {
                        ledger.unmapped(where(tool), what + " " + tool.path("type").asText("(no type)"),
                                "a built-in tool of the Responses API (web_search, mcp, code_interpreter, file_search, …) "
                                        + "has no chat-completions equivalent; function tools map");
                    }
                }
                if (!value.isArray()) {
                    ledger.unmapped(where(value), what, "not a list");
                } else if (!kept.isEmpty()) {
                    params.set("tools", kept);
                }
            }
            case "tool_choice" -> {
                JsonNode choice = value.path("type").asText().equals("function") && value.has("name")
                        ? F.objectNode().put("type", "tool").put("name", value.get("name").asText()) : Tools.choice(value);
                if (choice == null) {
                    ledger.unmapped(where(value), what, "not a chat-completions tool choice");
                } else {
                    params.set("tool_choice", choice);
                    ledger.mapped();
                }
            }
            case "instructions", "previous_response_id", "store", "background", "include", "truncation", "max_tool_calls",
                 "parallel_tool_calls", "service_tier", "user", "prompt", "conversation", "prompt_cache_key",
                 "safety_identifier", "top_logprobs", "stream_options" -> ledger.unmapped(where(value), what,
                    key.equals("instructions") ? "the Responses API's instructions; write them as the prompt's system message"
                            : "a Responses API setting that chat completions runs without");
            case "functionToolCallbacks" -> ledger.unmapped(where(value), what, "callbacks are JavaScript, which Sonde does not run");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A Responses-API or chat-completions format as chat completions' {@code response_format}, or null. */
    static JsonNode responseFormat(JsonNode format) {
        String type = format.path("type").asText();
        if (type.equals("json_object") || type.equals("text")) {
            return F.objectNode().put("type", type);
        }
        if (!type.equals("json_schema")) {
            return null;
        }
        if (format.path("json_schema").isObject()) {
            return format; // chat completions' own shape
        }
        if (!format.path("schema").isObject() || !format.path("name").isTextual()) {
            return null;
        }
        ObjectNode out = F.objectNode().put("type", "json_schema");
        ObjectNode schema = out.putObject("json_schema");
        format.properties().forEach(e -> {
            if (!e.getKey().equals("type")) {
                schema.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** A Responses API (or chat) function tool as a suite's (Messages) tool, or null for a built-in tool. */
    static JsonNode responsesTool(JsonNode tool) {
        if (!tool.path("type").asText().equals("function")) {
            return null;
        }
        JsonNode list = Tools.toMessages(F.arrayNode().add(tool));
        return list == null ? null : list.get(0);
    }

    private void param(String key, JsonNode value, boolean anthropic, ObjectNode params, ObjectNode model, String pfId, Path dir) {
        switch (key) {
            case "apiKey" -> ledger.unmapped(where(value), "provider " + pfId + " config.apiKey",
                    "a key is never written to a suite: set " + (anthropic ? "ANTHROPIC_API_KEY" : model.has("api_key_env")
                            ? model.path("api_key_env").asText() : "OPENAI_API_KEY") + " (or the variable api_key_env names) in the environment");
            case "apiKeyEnvar" -> {
                model.put("api_key_env", value.asText());
                ledger.mapped();
            }
            case "apiBaseUrl", "apiHost" -> {
                String url = value.asText();
                if (key.equals("apiHost") && !url.contains("://")) {
                    url = "https://" + url;
                }
                if (!Secrets.withoutUserinfo(url).equals(url)) {
                    url = Secrets.withoutUserinfo(url);
                    ledger.unmapped(where(value), "provider " + pfId + " config." + key + " user:password@",
                            "credentials in the URL are never written (nor printed); the base_url is written without them");
                }
                model.put("base_url", url.replaceAll("/+$", ""));
                if (!url.matches("https?://(localhost|127\\.[0-9.]+|\\[::1])([:/].*)?")) {
                    ledger.note(pfId + ": base_url " + url + " — keys go there only once its host is allowed (--allow-endpoint)");
                }
                ledger.mapped();
            }
            case "stop" -> {
                params.set("stop_sequences", value.isArray() ? value : F.arrayNode().add(value.asText()));
                ledger.mapped();
            }
            case "max_completion_tokens" -> {
                params.set("max_tokens", value);
                ledger.mapped();
            }
            case "tools", "tool_choice" -> {
                JsonNode v = value;
                if (v.isTextual() && v.asText().startsWith("file://")) {
                    try {
                        v = sources.tree(sources.resolve(dir, v.asText()).get(0));
                    } catch (Sources.Unreadable | Sources.Invalid | IndexOutOfBoundsException e) {
                        ledger.unmapped(where(value), "provider " + pfId + " config." + key, e.getMessage());
                        return;
                    }
                }
                JsonNode mapped = key.equals("tools") ? Tools.toMessages(v) : Tools.choice(v);
                if (mapped == null) {
                    ledger.unmapped(where(value), "provider " + pfId + " config." + key, "not in the Messages API's or "
                            + "OpenAI's function shape");
                    return;
                }
                params.set(key, mapped);
                ledger.mapped();
            }
            default -> {
                if ((PARAMS.contains(key) && !(anthropic && key.equals("response_format")))
                        || (!anthropic && OPENAI_PARAMS.contains(key))) {
                    params.set(key, value);
                    ledger.mapped();
                } else if (key.equals("headers") && value.isObject()) {
                    headers(value, model, pfId);
                } else {
                    ledger.unmapped(where(value), "provider " + pfId + " config." + key, "no Sonde equivalent");
                }
            }
        }
    }

    /**
     * Copies headers, except any that may carry a credential — a name that suggests one ({@link
     * Secrets#secretName}), a value that looks like a key or an auth scheme, or a value that is not
     * text: those are never written, only named.
     */
    private void headers(JsonNode headers, ObjectNode model, String pfId) {
        ObjectNode kept = F.objectNode();
        headers.properties().forEach(h -> {
            if (Secrets.secretName(h.getKey()) || !h.getValue().isTextual() || Secrets.secretValue(h.getValue().asText())) {
                ledger.unmapped(where(h.getValue()), "provider " + pfId + " header " + h.getKey(),
                        "a credential is never written to a suite; keys come from the environment");
            } else {
                kept.set(h.getKey(), h.getValue());
                ledger.mapped();
            }
        });
        if (!kept.isEmpty()) {
            model.set("headers", kept);
        }
    }

    /**
     * The grader for a promptfoo provider reference: a suite model's id when one runs the same
     * model, else an Anthropic API model id (sent through the suite's first Anthropic model), else
     * empty with the reason.
     */
    Optional<String> grader(JsonNode provider) {
        String pfId = provider.isTextual() ? provider.asText() : provider.path("id").asText();
        for (Model m : models) {
            if (m.pfId().equals(pfId) || (m.label() != null && m.label().equals(pfId))) {
                return Optional.of(m.id());
            }
        }
        String[] parts = pfId.split(":");
        String model = parts[parts.length - 1];
        for (Model m : models) {
            if (m.apiModel().equals(model) && (parts[0].equals("anthropic") == m.anthropic())) {
                return Optional.of(m.id());
            }
        }
        if (parts[0].equals("anthropic") && parts.length >= 2 && models.stream().anyMatch(Model::anthropic)) {
            return Optional.of(model);
        }
        return Optional.empty();
    }

    /** The id of the suite model a promptfoo provider reference names, if the suite runs it. */
    Optional<String> suiteModel(JsonNode provider) {
        String pfId = provider.isTextual() ? provider.asText() : provider.path("id").asText();
        return models.stream().filter(m -> m.pfId().equals(pfId) || pfId.equals(m.label())).map(Model::id).findFirst();
    }

    private String uniqueId(String wanted) {
        String slug = wanted.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            slug = "model";
        }
        String id = slug;
        for (int n = 2; !ids.add(id); n++) {
            id = slug + "-" + n;
        }
        return id;
    }

    private String where(JsonNode node) {
        return sources.where(node, config);
    }

    static ArrayNode ids(List<Model> models) {
        ArrayNode out = F.arrayNode();
        models.forEach(m -> out.add(m.id()));
        return out;
    }
}
