package dev.sonde.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Prices responses from their returned {@link Usage}. Data, not code: the defaults are the
 * versioned resource {@code dev/sonde/metrics/pricing.yaml}; a user file of the same shape adds
 * models or overrides prices and multipliers.
 *
 * <p>{@code cost = input·p_in + cw_5m·m5·p_in + cw_1h·m1h·p_in + cache_read·mr·p_in + output·p_out},
 * per million tokens, times the batch multiplier when {@code usage.service_tier == "batch"} or
 * the caller says the request went through Message Batches. A model that is not in the table is
 * <em>unpriced</em>: {@link #cost} returns empty, never $0. Immutable and thread-safe.
 *
 * <p>Models on a cloud platform are priced by their {@linkplain PriceKey price key}
 * {@code {provider}/{region or -}/{id}}: the platform's id is mapped to the Anthropic id it runs as
 * ({@link PriceKey#anthropicId}), priced from {@code models:}, then the first row of the
 * platform's list in {@code platforms:} that matches the model, the region and the endpoint kind
 * (global or regional) sets the price: a {@code multiplier} of the base price (the regional-endpoint
 * premium) or its own {@code input}/{@code output}. No matching row: the base price. A key written
 * as is in {@code models:} is priced by that entry alone. Any other key is a plain model id.
 */
public final class PricingTable {
    private static final ObjectMapper YAML = Yaml.mapper().build();
    private static final Pattern DATE_SUFFIX = Pattern.compile("-\\d{8}$");

    private final String version;
    private final Map<String, ModelPrice> models;
    private final double cacheWrite5m;
    private final double cacheWrite1h;
    private final double cacheRead;
    private final double batch;
    /** Per-use fees of server tools: USD per use, by the counter in {@code usage.server_tool_use}. */
    private final Map<String, Double> toolFees;
    /** Per platform, its rows in the order they are tried: a user file's before the shipped ones. */
    private final Map<String, List<PlatformRow>> platforms;

    private PricingTable(String version, Map<String, ModelPrice> models, double cacheWrite5m, double cacheWrite1h,
            double cacheRead, double batch, Map<String, Double> toolFees, Map<String, List<PlatformRow>> platforms) {
        this.toolFees = Map.copyOf(toolFees);
        this.platforms = Map.copyOf(platforms);
        this.version = version;
        this.models = Map.copyOf(models);
        this.cacheWrite5m = cacheWrite5m;
        this.cacheWrite1h = cacheWrite1h;
        this.cacheRead = cacheRead;
        this.batch = batch;
    }

    /** The shipped table. */
    public static PricingTable defaults() {
        try (InputStream in = PricingTable.class.getResourceAsStream("pricing.yaml")) {
            return parse(YAML.readTree(in), null, "built-in pricing.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped table extended (and overridden) by a user file of the same shape. */
    public PricingTable extendedBy(Path userFile) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(BoundedFiles.readText(userFile, Yaml.MAX_DOCUMENT_CHARS));
        } catch (BoundedFiles.Refused e) {
            throw new IOException("pricing file " + e.getMessage(), e); // the message names the file
        } catch (IOException e) {
            throw new IOException(userFile + ": cannot read pricing file: " + e.getMessage(), e);
        }
        return parse(root, this, userFile.toString());
    }

    private static PricingTable parse(JsonNode root, PricingTable base, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a pricing file is a mapping with a 'models' key");
        }
        Map<String, ModelPrice> models = new LinkedHashMap<>(base == null ? Map.of() : base.models);
        root.path("models").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            if (!p.path("input").isNumber() || !p.path("output").isNumber()) {
                throw new IllegalArgumentException(
                        source + ": models." + e.getKey() + " needs numeric 'input' and 'output' (USD per MTok)");
            }
            models.put(e.getKey(), new ModelPrice(p.get("input").asDouble(), p.get("output").asDouble()));
        });
        Map<String, Double> fees = new LinkedHashMap<>(base == null ? Map.of() : base.toolFees);
        root.path("server_tools").fields().forEachRemaining(e -> {
            JsonNode fee = e.getValue();
            if (!fee.isNumber() || !(fee.asDouble() >= 0) || !Double.isFinite(fee.asDouble())) {
                throw new IllegalArgumentException(source + ": server_tools." + e.getKey()
                        + " needs a non-negative number (USD per 1,000 uses)");
            }
            fees.put(e.getKey(), fee.asDouble() / 1_000);
        });
        Map<String, List<PlatformRow>> platforms = PlatformRow.parseAll(root.path("platforms"), source,
                base == null ? Map.of() : base.platforms);
        JsonNode m = root.path("multipliers");
        return new PricingTable(
                root.path("version").asText(base == null ? "unversioned" : base.version),
                models,
                m.path("cache_write_5m").asDouble(base == null ? 1.25 : base.cacheWrite5m),
                m.path("cache_write_1h").asDouble(base == null ? 2.0 : base.cacheWrite1h),
                m.path("cache_read").asDouble(base == null ? 0.1 : base.cacheRead),
                m.path("batch").asDouble(base == null ? 0.5 : base.batch),
                fees, platforms);
    }

    /**
     * What one use of a server tool costs beyond its tokens, in USD, by the counter the API reports
     * its uses in ({@code web_search_requests}); 0 for a tool with no fee or not in the table.
     */
    public double toolFeeUsd(String usageCounter) {
        return toolFees.getOrDefault(usageCounter, 0.0);
    }

    public String version() {
        return version;
    }

    /** What a 5-minute cache write costs, as a multiple of the input price. */
    public double cacheWrite5mMultiplier() {
        return cacheWrite5m;
    }

    /** What a 1-hour cache write costs, as a multiple of the input price. */
    public double cacheWrite1hMultiplier() {
        return cacheWrite1h;
    }

    /** What Message Batches cost, as a multiple of the standard price. */
    public double batchMultiplier() {
        return batch;
    }

    /** Every model id the table prices, as written in it (a snapshot id is priced by its base id too). */
    public Set<String> modelIds() {
        return models.keySet();
    }

    /**
     * The price of a model id or a platform price key ({@code bedrock/us-east-1/…}): the exact key
     * first, then for a platform key its platform's rows over the Anthropic id's price (class
     * comment), for a plain id the id without a {@code -YYYYMMDD} snapshot suffix. Empty when unpriced.
     */
    public Optional<ModelPrice> priceOf(String priceKey) {
        if (priceKey == null) {
            return Optional.empty();
        }
        ModelPrice exact = models.get(priceKey);
        if (exact != null) {
            return Optional.of(exact);
        }
        Optional<PriceKey> platformKey = PriceKey.parse(priceKey);
        if (platformKey.isEmpty()) {
            return basePrice(priceKey);
        }
        PriceKey key = platformKey.get();
        String id = key.anthropicId();
        String undated = DATE_SUFFIX.matcher(id).replaceFirst("");
        Optional<ModelPrice> base = basePrice(id);
        for (PlatformRow row : platforms.getOrDefault(key.platform(), List.of())) {
            if (row.matches(id, undated, key.region(), key.globalEndpoint())) {
                return row.applyTo(base);
            }
        }
        return base;
    }

    private Optional<ModelPrice> basePrice(String model) {
        ModelPrice p = models.get(model);
        if (p == null) {
            p = models.get(DATE_SUFFIX.matcher(model).replaceFirst(""));
        }
        return Optional.ofNullable(p);
    }

    /** The cost of one response, or empty when the model is unpriced; {@code priceKey} as for {@link #priceOf}. */
    public Optional<Cost> cost(String priceKey, Usage usage, boolean batchRequest) {
        return priceOf(priceKey).map(p -> cost(p, usage, batchRequest || "batch".equals(usage.serviceTier())));
    }

    private Cost cost(ModelPrice p, Usage u, boolean batchTier) {
        double in = p.inputPerMTok() / 1e6 * (batchTier ? batch : 1);
        double out = p.outputPerMTok() / 1e6 * (batchTier ? batch : 1);
        double tools = 0;
        JsonNode uses = u.raw().path("server_tool_use");
        for (Map.Entry<String, Double> fee : toolFees.entrySet()) {
            tools += Math.max(0, uses.path(fee.getKey()).asLong(0)) * fee.getValue();
        }
        return new Cost(
                u.inputTokens() * in,
                u.cacheWrite5mTokens() * in * cacheWrite5m + u.cacheWrite1hTokens() * in * cacheWrite1h,
                u.cacheReadInputTokens() * in * cacheRead,
                u.outputTokens() * out,
                (u.cacheWrite5mTokens() + u.cacheWrite1hTokens() + u.cacheReadInputTokens()) * in,
                tools);
    }
}
