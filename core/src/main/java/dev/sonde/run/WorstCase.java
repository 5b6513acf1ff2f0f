package dev.sonde.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Jackson;
import dev.sonde.metrics.ModelPrice;
import dev.sonde.metrics.PricingTable;
import dev.sonde.suite.Trial;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * An upper bound on what one attempt of a request can cost, for budget reservations.
 *
 * <p>Input: every two bytes of the request body counted as a token (tokenizers average 3.5–4.5
 * bytes per token on English and JSON and about 3 on CJK text, so this over-counts), plus 64
 * tokens of framing and 1,000 for the system prompt the API adds when tools are defined; a base64
 * image counts {@value #IMAGE_TOKENS} tokens in place of its data's bytes (it is read as pixels,
 * scaled down to the model's largest size, not as bytes). Some
 * input cannot be sized from its bytes: an image or document given by {@code url} or
 * {@code file_id}, and a base64 PDF (each page is read as an image and as text); such a request
 * is {@link Estimate#unsized() unsized}, and its input is then taken from the count-tokens
 * endpoint, plus a tenth and 64 tokens, since the count is an estimate ({@link Estimate#usd(long)}).
 *
 * <p>Server tools: each web search costs its fee ({@link PricingTable#toolFeeUsd}) and adds its
 * results to the input, taken as {@value #SEARCH_RESULT_TOKENS} tokens a search (some ten
 * results of a few thousand tokens each); a web fetch adds at most its {@code max_content_tokens}.
 * The model reads the whole conversation again after each use, so {@code n} uses of a tool whose
 * results add {@code r} tokens to an input of {@code b} can bill {@code (n+1)·b + r·n(n+1)/2} input
 * tokens. Without {@code max_uses} (and, for web fetch, {@code max_content_tokens}) no bound
 * exists, nor for code execution (billed by container time) or MCP servers: such a request is
 * {@link Estimate#unbounded() unbounded}.
 *
 * <p>All input is priced as the most expensive kind the request can produce, at the pricing
 * table's multipliers (a 1h cache write, 2× by default, if any block asks for a 1h TTL; a 5m
 * write, 1.25×, if any {@code cache_control}; else plain input), plus {@code max_tokens} of output. The USD cap is exactly as safe as this bound.
 */
final class WorstCase {
    private static final ObjectMapper JSON = Jackson.plain();
    /**
     * The most one image may bill: it is read as pixels (about one token for each 750), not as its
     * bytes, after being scaled down to fit the model's largest size; this allows well over the
     * ~1,600 tokens of a 1.15-megapixel image, for models that read larger ones. An image by URL or
     * file id is counted with count-tokens instead ({@link #unsized}).
     */
    static final long IMAGE_TOKENS = 5_000;
    /** The input one web search is taken to add: its results. */
    static final long SEARCH_RESULT_TOKENS = 25_000;
    /** The fields of a Messages body that the count-tokens endpoint takes. */
    private static final List<String> COUNTED_FIELDS = List.of("model", "messages", "system", "tools", "tool_choice",
            "thinking", "cache_control", "output_config");
    private static final Set<String> INLINE_SOURCES = Set.of("base64", "text", "content");

    private WorstCase() {}

    /**
     * What one attempt of a request may cost at most.
     *
     * @param price null when the model is unpriced
     * @param inputTokens the input as sized from the body's bytes
     * @param toolUses the most server-tool uses the request allows, and {@code toolInput} the most
     *     input tokens each adds; {@code toolFeesUsd} their fees
     * @param unsized why the input cannot be sized from its bytes (count it), or null
     * @param unbounded why nothing bounds the cost, or null
     */
    record Estimate(ModelPrice price, long inputTokens, double multiplier, long outputTokens, long toolUses,
            long toolInput, double toolFeesUsd, String unsized, String unbounded) {

        /** The bound in USD with the input sized from the body's bytes; null when the model is unpriced. */
        Double usd() {
            return price == null ? null : usdFor(inputTokens);
        }

        /**
         * The bound in USD with the input counted by the endpoint ({@code counted} tokens, plus a tenth
         * and 64 for the estimate's error) or from the bytes, whichever is more.
         */
        Double usd(long counted) {
            long input = Math.max(inputTokens, counted + counted / 10 + 64);
            return price == null ? null : usdFor(input);
        }

        private double usdFor(long input) {
            double n = toolUses;
            double in = (n + 1) * input + toolInput * n * (n + 1) / 2;
            return (in * multiplier * price.inputPerMTok() + outputTokens * price.outputPerMTok()) / 1e6 + toolFeesUsd;
        }
    }

    /** The estimate for a trial's first request. */
    static Estimate of(PricingTable pricing, Trial trial) {
        return of(pricing, trial.model().priceKey(), trial.body(), json(trial.body()));
    }

    /** The estimate for one request {@code body} (compact JSON {@code json}) to the model priced under {@code priceKey}. */
    static Estimate of(PricingTable pricing, String priceKey, JsonNode body, String json) {
        ModelPrice price = pricing.priceOf(priceKey).orElse(null);
        long[] images = new long[2]; // how many base64 images, and their data's length
        images(body, images);
        long input = (json.getBytes(StandardCharsets.UTF_8).length - images[1]) / 2 + 64
                + (body.has("tools") ? 1_000 : 0) + IMAGE_TOKENS * images[0];
        // the dearest kind of input the request can produce, at the table's own multipliers
        double multiplier = Math.max(1.0, json.contains("\"cache_control\"")
                ? Math.max(pricing.cacheWrite5mMultiplier(), json.contains("\"ttl\":\"1h\"")
                        ? pricing.cacheWrite1hMultiplier() : 0) : 1.0);
        long output = Math.max(0, body.path("max_tokens").asLong(0));
        long uses = 0;
        long perUse = 0;
        double fees = 0;
        String unbounded = body.hasNonNull("mcp_servers")
                ? "its MCP servers' tool results have no size limit" : null;
        for (JsonNode tool : body.path("tools")) {
            String type = tool.path("type").asText("");
            String name = tool.path("name").asText(type);
            long max = tool.path("max_uses").asLong(0);
            if (type.startsWith("web_search_")) {
                if (max <= 0) {
                    unbounded = "its tool " + name + " (web search, charged per search) has no max_uses";
                    continue;
                }
                uses += max;
                perUse = Math.max(perUse, SEARCH_RESULT_TOKENS);
                fees += max * pricing.toolFeeUsd("web_search_requests");
            } else if (type.startsWith("web_fetch_")) {
                long content = tool.path("max_content_tokens").asLong(0);
                if (max <= 0 || content <= 0) {
                    unbounded = "its tool " + name + " (web fetch) needs max_uses and max_content_tokens to be bounded";
                    continue;
                }
                uses += max;
                perUse = Math.max(perUse, content);
                fees += max * pricing.toolFeeUsd("web_fetch_requests");
            } else if (type.startsWith("code_execution_")) {
                unbounded = "its tool " + name + " (code execution) is billed by container time";
            }
        }
        return new Estimate(price, input, multiplier, output, uses, perUse, fees, unsized(body), unbounded);
    }

    /**
     * Why {@code body}'s input cannot be sized from its bytes — the first image or document in it
     * given by {@code url} or {@code file_id}, or a base64 PDF — or null when it can.
     */
    static String unsized(JsonNode body) {
        if (body.isObject()) {
            String type = body.path("type").asText("");
            JsonNode source = body.get("source");
            if ((type.equals("image") || type.equals("document")) && source != null && source.isObject()) {
                String kind = source.path("type").asText("");
                if (!INLINE_SOURCES.contains(kind) || source.has("file_id") || source.has("url")) {
                    return "a" + (type.equals("image") ? "n image" : " document") + " given by "
                            + (source.has("file_id") || kind.equals("file") ? "file_id" : kind.isEmpty() ? "reference" : kind);
                }
                if (type.equals("document") && kind.equals("base64")
                        && source.path("media_type").asText("").equals("application/pdf")) {
                    return "a PDF document (its pages are read as images and text)";
                }
            }
        }
        if (body.isContainerNode()) {
            for (JsonNode child : body) {
                String why = unsized(child);
                if (why != null) {
                    return why;
                }
            }
        }
        return null;
    }

    /**
     * Adds to {@code found} each base64 image block of {@code body}, wherever it sits (tool results
     * included): {@code found[0]} counts them, {@code found[1]} sums their data's length (ASCII, so
     * its bytes in the JSON), which is counted as {@link #IMAGE_TOKENS} instead of as bytes.
     */
    static void images(JsonNode body, long[] found) {
        if (body.isObject() && "image".equals(body.path("type").asText())
                && "base64".equals(body.path("source").path("type").asText())) {
            found[0]++;
            found[1] += body.path("source").path("data").asText("").length();
            return;
        }
        if (body.isContainerNode()) {
            for (JsonNode child : body) {
                images(child, found);
            }
        }
    }

    /** The count-tokens request for a Messages {@code body}: the fields that endpoint takes, no others. */
    static ObjectNode countBody(JsonNode body) {
        ObjectNode count = JSON.createObjectNode();
        for (String field : COUNTED_FIELDS) {
            if (body.has(field)) {
                count.set(field, body.get(field));
            }
        }
        return count;
    }

    /** {@code body} as compact JSON text, as {@link JsonNode#toString()} writes it. */
    static String json(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
