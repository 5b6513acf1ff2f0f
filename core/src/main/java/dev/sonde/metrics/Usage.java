package dev.sonde.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token usage as the API returned it, read from {@code usage} of a Messages response (or the
 * merge of {@code message_start.message.usage} and every cumulative {@code message_delta.usage}
 * of a stream).
 *
 * <p>{@code inputTokens} counts only tokens after the last cache breakpoint; the whole prompt is
 * {@link #totalInputTokens()}. {@code cacheWrite5mTokens}/{@code cacheWrite1hTokens} come from
 * {@code usage.cache_creation}; when the API sent no TTL split ({@code ttlSplitReported == false})
 * every cache write counts as 5m, as METRICS.md defines. {@code raw} is the usage object exactly
 * as returned (unknown fields kept), for the journal.
 */
public record Usage(
        long inputTokens,
        long outputTokens,
        long cacheCreationInputTokens,
        long cacheReadInputTokens,
        long cacheWrite5mTokens,
        long cacheWrite1hTokens,
        boolean ttlSplitReported,
        String serviceTier,
        ObjectNode raw) {

    public static final Usage NONE = fromJson(JsonNodeFactory.instance.objectNode());

    /** Reads a {@code usage} object; absent or null counters are 0. */
    public static Usage fromJson(JsonNode usage) {
        ObjectNode raw = usage instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        long cacheCreation = raw.path("cache_creation_input_tokens").asLong(0);
        JsonNode split = raw.path("cache_creation");
        boolean hasSplit = split.isObject();
        long w1h = hasSplit ? split.path("ephemeral_1h_input_tokens").asLong(0) : 0;
        long w5m = hasSplit ? split.path("ephemeral_5m_input_tokens").asLong(0) : cacheCreation;
        JsonNode tier = raw.get("service_tier");
        return new Usage(
                raw.path("input_tokens").asLong(0),
                raw.path("output_tokens").asLong(0),
                cacheCreation,
                raw.path("cache_read_input_tokens").asLong(0),
                w5m,
                w1h,
                hasSplit,
                tier == null || tier.isNull() ? null : tier.asText(),
                raw);
    }

    /**
     * Folds a later usage object into an earlier one the way the SDKs do for streams: every field
     * present in {@code later} overwrites (message_delta usage is cumulative, never added).
     */
    public static ObjectNode merge(ObjectNode earlier, JsonNode later) {
        if (later != null && later.isObject()) {
            later.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull() || !earlier.has(f.getKey())) {
                    earlier.set(f.getKey(), f.getValue());
                }
            });
        }
        return earlier;
    }

    /** input + cache writes + cache reads: the whole prompt the model saw. */
    public long totalInputTokens() {
        return inputTokens + cacheCreationInputTokens + cacheReadInputTokens;
    }
}
