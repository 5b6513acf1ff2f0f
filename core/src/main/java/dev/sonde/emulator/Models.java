package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in defaults resource ({@code dev/sonde/emulator/defaults.yaml}): latency profiles,
 * minimum cacheable prefixes, each model's context window and output limit ({@link #limitsOf}), and
 * the model list behind {@code GET /v1/models} and {@code GET /v1/models/{id}} (each with its
 * {@code max_input_tokens} and {@code max_tokens}). Pages follow the API: {@code limit} 1–1000
 * (default 20), {@code after_id} / {@code before_id}; the page after the last item is empty with
 * null ids (the Java SDK's auto-pager asks for it). Immutable.
 */
final class Models {
    private static final String RESOURCE = "/dev/sonde/emulator/defaults.yaml";
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4})(\\d{2})(\\d{2})$");
    private static final String PLACEHOLDER_CREATED_AT = "2026-01-01T00:00:00Z";

    record Entry(String id, String displayName, String createdAt) {}

    private final List<Entry> models;
    private final List<LatencyProfile> defaultLatency;
    private final List<CacheMinimum> defaultCacheMinimums;
    private final List<ModelLimit> limits;
    private final List<Glob> limitGlobs;

    private Models(List<Entry> models, List<LatencyProfile> defaultLatency, List<CacheMinimum> defaultCacheMinimums,
            List<ModelLimit> limits) {
        this.models = List.copyOf(models);
        this.defaultLatency = List.copyOf(defaultLatency);
        this.defaultCacheMinimums = List.copyOf(defaultCacheMinimums);
        this.limits = List.copyOf(limits);
        this.limitGlobs = this.limits.stream().map(l -> Glob.of(l.model())).toList();
        if (this.limits.isEmpty() || !this.limits.getLast().model().equals("*")) {
            throw new IllegalStateException(RESOURCE + ": model_limits must end with an entry for every model (\"*\")");
        }
    }

    static Models builtIn() {
        try (InputStream in = Models.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            JsonNode root = Json.YAML.readTree(in);
            List<Entry> models = new ArrayList<>();
            for (JsonNode m : root.path("models")) {
                String id = m.path("id").asText();
                Matcher date = DATE_SUFFIX.matcher(id);
                String created = date.find()
                        ? date.group(1) + "-" + date.group(2) + "-" + date.group(3) + "T00:00:00Z"
                        : PLACEHOLDER_CREATED_AT;
                models.add(new Entry(id, m.path("display_name").asText(id), created));
            }
            return new Models(models, EmulatorConfig.latencyProfiles(root.path("latency"), RESOURCE + ": latency"),
                    EmulatorConfig.cacheMinimums(root.path("cache_minimums"), RESOURCE + ": cache_minimums"),
                    limits(root.path("model_limits")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static List<ModelLimit> limits(JsonNode list) {
        List<ModelLimit> out = new ArrayList<>();
        for (JsonNode l : list) {
            out.add(new ModelLimit(l.path("model").asText(""), l.path("context_window").asInt(0),
                    l.path("max_output_tokens").asInt(0)));
        }
        return out;
    }

    /** The ids {@code GET /v1/models} lists, newest first. */
    List<String> ids() {
        return models.stream().map(Entry::id).toList();
    }

    /** The context window and output limit of {@code model}: the first matching entry of {@code model_limits}. */
    ModelLimit limitsOf(String model) {
        for (int i = 0; i < limits.size(); i++) {
            if (limitGlobs.get(i).matches(model)) {
                return limits.get(i);
            }
        }
        return limits.getLast(); // the catch-all, checked at load
    }

    List<LatencyProfile> defaultLatency() {
        return defaultLatency;
    }

    List<CacheMinimum> defaultCacheMinimums() {
        return defaultCacheMinimums;
    }

    ObjectNode page(String limitParam, String afterId, String beforeId) {
        int limit = limit(limitParam);
        int from = 0;
        int to = models.size();
        if (afterId != null) {
            from = indexOf(afterId) + 1;
        } else if (beforeId != null) {
            to = Math.max(0, indexOf(beforeId));
            from = Math.max(0, to - limit);
        }
        if (afterId != null && from == 0) {
            from = models.size();
        }
        int end = Math.min(to, from + limit);
        List<Entry> slice = from < end ? models.subList(from, end) : List.of();
        ObjectNode page = Json.object();
        ArrayNode data = page.putArray("data");
        slice.forEach(m -> data.add(info(m)));
        boolean more = beforeId != null ? from > 0 : end < models.size();
        page.put("has_more", more);
        page.put("first_id", slice.isEmpty() ? null : slice.getFirst().id());
        page.put("last_id", slice.isEmpty() ? null : slice.getLast().id());
        return page;
    }

    /** A list endpoint's {@code limit} query parameter: 1–1000, default 20. */
    static int limit(String limitParam) {
        int limit = 20;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                throw ApiError.invalid("limit: Input should be a valid integer");
            }
        }
        if (limit < 1 || limit > 1000) {
            throw ApiError.invalid("limit: Input should be between 1 and 1000");
        }
        return limit;
    }

    ObjectNode get(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst().map(this::info)
                .orElseThrow(() -> new ApiError(404, "not_found_error", "model: " + id));
    }

    private int indexOf(String id) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private ObjectNode info(Entry m) {
        ModelLimit limit = limitsOf(m.id());
        return Json.object().put("type", "model").put("id", m.id()).put("display_name", m.displayName())
                .put("created_at", m.createdAt()).put("max_input_tokens", limit.contextTokens())
                .put("max_tokens", limit.maxOutputTokens());
    }
}
