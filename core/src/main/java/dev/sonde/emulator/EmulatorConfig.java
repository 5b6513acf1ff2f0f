package dev.sonde.emulator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Immutable settings of an {@link Emulator}; build with {@link #builder()} or read a standalone
 * YAML file with {@link #load(Path)} (format in {@code fixtures/emulator/README.md}):
 * <pre>
 * port: 8089                 # 0 or absent: an ephemeral port
 * seed: 42                   # answers and latency samples are a function of (seed, request)
 * accepted_keys: [sk-local]  # absent or empty: any non-empty key is accepted
 * rules: [rules.yaml]        # relative to this file
 * latency:                   # tried before the built-in defaults; first matching model wins
 *   - {model: "claude-*", ttft_base_ms: 0, prefill_us_per_token: 0, output_tokens_per_second: 0, jitter_sigma: 0}
 * cache_minimums:            # tried before the built-in table; first matching model wins
 *   - {model: "claude-sonnet-*", min_tokens: 1024}
 * rate_limits:               # off unless listed; first matching model wins; 0 = unlimited
 *   - {model: "*", rpm: 50, itpm: 30000, otpm: 8000}
 * batch_processing_ms: 1000  # how long a Message Batch stays in_progress (on the clock)
 * credentials:               # the cloud platforms' test credentials (EmulatorCredentials); any key overrides
 *   aws_access_key_id: AKIASONDEEMULATOR000
 *   token_lifetime_s: 3600
 * platforms:                 # per platform (bedrock, claude-platform-aws, vertex, foundry): latency profiles
 *   bedrock: {latency: [{model: "*", ttft_base_ms: 900}]}   # tried before the model's for that platform
 * </pre>
 * The server always binds the loopback address 127.0.0.1. Rules files are read when the
 * emulator starts.
 */
public final class EmulatorConfig {
    private static final Set<String> KEYS = Set.of("port", "seed", "accepted_keys", "rules", "latency", "cache_minimums",
            "rate_limits", "batch_processing_ms", "capacity", "credentials", "platforms");
    /** The platforms {@code platforms:} may name ({@link Route#platform}). */
    static final Set<String> PLATFORMS = Set.of("bedrock", "claude-platform-aws", "vertex", "foundry");
    private static final Set<String> CREDENTIAL_KEYS = Set.of("aws_access_key_id", "aws_secret_access_key",
            "bedrock_api_key", "foundry_api_key", "vertex_client_id", "vertex_client_secret", "vertex_refresh_token",
            "vertex_access_token", "service_account_email", "service_account_public_key", "token_lifetime_s");
    private static final Set<String> CACHE_KEYS = Set.of("model", "min_tokens");
    private static final Set<String> RATE_KEYS = Set.of("model", "rpm", "itpm", "otpm");
    private static final Set<String> CAPACITY_KEYS = Set.of("model", "max_concurrent");
    /** Default time a Message Batch takes to process. */
    public static final long DEFAULT_BATCH_PROCESSING_MILLIS = 1_000;
    private static final Set<String> LATENCY_KEYS = Set.of(
            "model", "ttft_base_ms", "prefill_us_per_token", "output_tokens_per_second", "jitter_sigma");

    private final int port;
    private final long seed;
    private final List<Path> rules;
    private final Set<String> acceptedKeys;
    private final List<LatencyProfile> latency;
    private final Clock clock;
    private final Clock credentialClock;
    private final List<CacheMinimum> cacheMinimums;
    private final List<RateLimit> rateLimits;
    private final long batchProcessingMillis;
    private final List<Capacity.Limit> capacity;
    private final Path trace;
    private final EmulatorCredentials credentials;
    private final Map<String, List<LatencyProfile>> platformLatency;

    private EmulatorConfig(Builder b) {
        this.credentials = b.credentials;
        this.platformLatency = Map.copyOf(b.platformLatency);
        this.cacheMinimums = List.copyOf(b.cacheMinimums);
        this.rateLimits = List.copyOf(b.rateLimits);
        this.batchProcessingMillis = b.batchProcessingMillis;
        this.capacity = List.copyOf(b.capacity);
        this.port = b.port;
        this.seed = b.seed;
        this.rules = List.copyOf(b.rules);
        this.acceptedKeys = Set.copyOf(b.acceptedKeys);
        this.latency = List.copyOf(b.latency);
        this.clock = b.clock;
        this.credentialClock = b.credentialClock != null ? b.credentialClock : b.clock;
        this.trace = b.trace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads a standalone config file; relative rule paths resolve against the file's directory. */
    public static EmulatorConfig load(Path yaml) {
        JsonNode root;
        String text;
        try {
            text = BoundedFiles.readText(yaml, Yaml.MAX_DOCUMENT_CHARS);
            root = Json.YAML.readTree(text);
        } catch (BoundedFiles.Refused e) {
            throw new UncheckedIOException("emulator config " + e.getMessage(), e); // the message names the file
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read emulator config " + yaml + ": " + e.getMessage(), e);
        }
        Builder b = builder();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return b.build();
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(yaml + ": expected a mapping");
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(yaml + ": " + k + ": unknown key (expected one of "
                        + KEYS.stream().sorted().toList() + ")");
            }
        });
        b.port(root.path("port").asInt(0)).seed(root.path("seed").asLong(0));
        Path dir = yaml.toAbsolutePath().getParent();
        List<Path> rules = new ArrayList<>();
        root.path("rules").forEach(r -> rules.add(dir.resolve(r.asText())));
        Set<String> keys = new LinkedHashSet<>();
        root.path("accepted_keys").forEach(k -> keys.add(k.asText()));
        b.batchProcessingMillis(root.path("batch_processing_ms").asLong(DEFAULT_BATCH_PROCESSING_MILLIS));
        return b.rules(rules).acceptedKeys(keys).latency(latencyProfiles(root.path("latency"), yaml + ": latency"))
                .cacheMinimums(cacheMinimums(root.path("cache_minimums"), yaml + ": cache_minimums"))
                .rateLimits(rateLimits(root.path("rate_limits"), yaml + ": rate_limits"))
                .capacity(capacity(root.path("capacity"), yaml + ": capacity"))
                .credentials(credentials(root.path("credentials"), path -> located(yaml, text, path)))
                .platformLatency(platformLatency(root.path("platforms"), path -> located(yaml, text, path))).build();
    }

    /** Parses {@code credentials:}, a mapping overriding {@link EmulatorCredentials#DEFAULTS} key by key. */
    static EmulatorCredentials credentials(JsonNode map, Function<List<String>, String> where) {
        EmulatorCredentials.Builder b = EmulatorCredentials.builder();
        if (map.isMissingNode() || map.isNull()) {
            return b.build();
        }
        if (!map.isObject()) {
            throw new IllegalArgumentException(where.apply(List.of("credentials")) + ": expected a mapping");
        }
        for (Map.Entry<String, JsonNode> field : map.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            String at = where.apply(List.of("credentials", key));
            if (!CREDENTIAL_KEYS.contains(key)) {
                throw new IllegalArgumentException(at + ": unknown key (expected one of "
                        + CREDENTIAL_KEYS.stream().sorted().toList() + ")");
            }
            boolean seconds = key.equals("token_lifetime_s");
            if (seconds ? !value.canConvertToLong() || !value.isIntegralNumber() : !value.isTextual()) {
                throw new IllegalArgumentException(at + ": expected " + (seconds ? "a whole number of seconds" : "a string"));
            }
            try {
                switch (key) {
                    case "aws_access_key_id" -> b.awsAccessKeyId(value.asText());
                    case "aws_secret_access_key" -> b.awsSecretAccessKey(value.asText());
                    case "bedrock_api_key" -> b.bedrockApiKey(value.asText());
                    case "foundry_api_key" -> b.foundryApiKey(value.asText());
                    case "vertex_client_id" -> b.vertexClientId(value.asText());
                    case "vertex_client_secret" -> b.vertexClientSecret(value.asText());
                    case "vertex_refresh_token" -> b.vertexRefreshToken(value.asText());
                    case "vertex_access_token" -> b.vertexAccessToken(value.asText());
                    case "token_lifetime_s" -> b.tokenLifetimeSeconds(value.asLong());
                    default -> { } // the service account pair, below
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage().substring(e.getMessage().indexOf(':') + 2), e);
            }
        }
        boolean email = map.has("service_account_email");
        String at = where.apply(List.of("credentials", email ? "service_account_email" : "service_account_public_key"));
        if (email != map.has("service_account_public_key")) {
            throw new IllegalArgumentException(at + ": service_account_email and service_account_public_key go together");
        }
        if (email) {
            try {
                b.serviceAccount(map.get("service_account_email").asText(), map.get("service_account_public_key").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /** Parses {@code platforms:}: per known platform, {@code {latency: [profiles]}}. */
    static Map<String, List<LatencyProfile>> platformLatency(JsonNode map, Function<List<String>, String> where) {
        Map<String, List<LatencyProfile>> out = new LinkedHashMap<>();
        if (map.isMissingNode() || map.isNull()) {
            return out;
        }
        if (!map.isObject()) {
            throw new IllegalArgumentException(where.apply(List.of("platforms")) + ": expected a mapping");
        }
        for (Map.Entry<String, JsonNode> field : map.properties()) {
            String name = field.getKey();
            if (!PLATFORMS.contains(name)) {
                throw new IllegalArgumentException(where.apply(List.of("platforms", name)) + ": unknown platform "
                        + "(expected one of " + PLATFORMS.stream().sorted().toList() + ")");
            }
            JsonNode platform = field.getValue();
            if (!platform.isObject()) {
                throw new IllegalArgumentException(where.apply(List.of("platforms", name)) + ": expected a mapping with latency:");
            }
            for (String key : (Iterable<String>) platform::fieldNames) {
                if (!key.equals("latency")) {
                    throw new IllegalArgumentException(where.apply(List.of("platforms", name, key))
                            + ": unknown key (expected [latency])");
                }
            }
            out.put(name, latencyProfiles(platform.path("latency"), where.apply(List.of("platforms", name, "latency"))));
        }
        return out;
    }

    /**
     * {@code file:line:column: a.b.c} for an error at the key path {@code keys} of the YAML
     * {@code text} (the deepest of its keys found; line and column 1-based), so a config error
     * points at its place.
     */
    static String located(Path file, String text, List<String> keys) {
        String where = file + ": " + String.join(".", keys);
        List<String> stack = new ArrayList<>();
        int matched = 0;
        try (JsonParser parser = Json.YAML.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT) {
                    stack.add(null);
                } else if (token == JsonToken.END_OBJECT) {
                    stack.removeLast();
                } else if (token == JsonToken.FIELD_NAME) {
                    stack.set(stack.size() - 1, parser.currentName());
                    if (stack.size() > matched && stack.size() <= keys.size() && stack.equals(keys.subList(0, stack.size()))) {
                        matched = stack.size();
                        JsonLocation at = parser.currentTokenLocation();
                        where = file + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": " + String.join(".", keys);
                    }
                }
            }
        } catch (IOException e) {
            return where; // the tree was read from this text already; a second read cannot fail
        }
        return where;
    }

    /** Parses a YAML list of {@code {model, min_tokens}}. */
    static List<CacheMinimum> cacheMinimums(JsonNode list, String where) {
        return entries(list, CACHE_KEYS, where,
                p -> new CacheMinimum(p.path("model").asText(""), p.path("min_tokens").asInt(0)));
    }

    /** Parses a YAML list of {@code {model, max_concurrent}}. */
    static List<Capacity.Limit> capacity(JsonNode list, String where) {
        return entries(list, CAPACITY_KEYS, where,
                p -> new Capacity.Limit(p.path("model").asText("*"), p.path("max_concurrent").asInt(0)));
    }

    /** Parses a YAML list of {@code {model, rpm, itpm, otpm}}. */
    static List<RateLimit> rateLimits(JsonNode list, String where) {
        return entries(list, RATE_KEYS, where, p -> new RateLimit(p.path("model").asText(""), p.path("rpm").asLong(0),
                p.path("itpm").asLong(0), p.path("otpm").asLong(0)));
    }

    /** Parses a YAML list of latency profiles (snake_case keys as in the defaults resource). */
    static List<LatencyProfile> latencyProfiles(JsonNode list, String where) {
        return entries(list, LATENCY_KEYS, where, p -> new LatencyProfile(p.path("model").asText(""),
                p.path("ttft_base_ms").asDouble(0), p.path("prefill_us_per_token").asDouble(0),
                p.path("output_tokens_per_second").asDouble(0), p.path("jitter_sigma").asDouble(0)));
    }

    /**
     * A YAML list of mappings (absent or null: empty), each with only {@code keys}, made into values
     * by {@code make}; every problem is an {@link IllegalArgumentException} naming {@code where[i]}
     * (and the key).
     */
    private static <T> List<T> entries(JsonNode list, Set<String> keys, String where,
            java.util.function.Function<JsonNode, T> make) {
        List<T> out = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(where + ": expected a list");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String at = where + "[" + i + "]";
            if (!p.isObject()) {
                throw new IllegalArgumentException(at + ": expected a mapping");
            }
            p.fieldNames().forEachRemaining(k -> {
                if (!keys.contains(k)) {
                    throw new IllegalArgumentException(at + "." + k + ": unknown key (expected one of "
                            + keys.stream().sorted().toList() + ")");
                }
            });
            try {
                out.add(make.apply(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    public Builder toBuilder() {
        return builder().port(port).seed(seed).rules(rules).acceptedKeys(acceptedKeys).latency(latency).clock(clock)
                .credentialClock(credentialClock == clock ? null : credentialClock).cacheMinimums(cacheMinimums).rateLimits(rateLimits).batchProcessingMillis(batchProcessingMillis)
                .capacity(capacity).trace(trace).credentials(credentials).platformLatency(platformLatency);
    }

    /** The cloud platforms' test credentials ({@link EmulatorCredentials#DEFAULTS} unless configured). */
    public EmulatorCredentials credentials() {
        return credentials;
    }

    /** Per platform ({@code bedrock}, {@code claude-platform-aws}, {@code vertex}, {@code foundry}): profiles tried first. */
    public Map<String, List<LatencyProfile>> platformLatency() {
        return platformLatency;
    }

    /** The timing trace file ({@link TraceLog}), or null for none. */
    public Path trace() {
        return trace;
    }

    /** The TCP port to bind on 127.0.0.1; 0 = ephemeral. */
    public int port() {
        return port;
    }

    public long seed() {
        return seed;
    }

    public List<Path> rules() {
        return rules;
    }

    /** Accepted API keys; empty means any non-empty key. */
    public Set<String> acceptedKeys() {
        return acceptedKeys;
    }

    /** Profiles tried before the built-in defaults. */
    public List<LatencyProfile> latency() {
        return latency;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * The clock credentials are judged on — a SigV4 {@code x-amz-date}'s 15-minute window and an
     * OAuth token's lifetime — which is the clients' wall clock: {@link #clock()} unless set apart
     * (an offline cache-variant run skips {@link #clock()} ahead to expire cache entries, while its
     * clients sign and fetch tokens on the real one).
     */
    public Clock credentialClock() {
        return credentialClock;
    }

    /** Minimum cacheable prefixes tried before the built-in table. */
    public List<CacheMinimum> cacheMinimums() {
        return cacheMinimums;
    }

    /** Rate limits per model; empty (the default) = no limits. */
    public List<RateLimit> rateLimits() {
        return rateLimits;
    }

    /** How long a Message Batch stays {@code in_progress}, on the config's clock. */
    /** Per-model limits on responses generated at once (the rest queue); empty = unlimited. */
    List<Capacity.Limit> capacity() {
        return capacity;
    }

    public long batchProcessingMillis() {
        return batchProcessingMillis;
    }

    /** Not thread-safe; {@link #build()} gives an immutable config. */
    public static final class Builder {
        private int port;
        private long seed;
        private List<Path> rules = List.of();
        private Set<String> acceptedKeys = Set.of();
        private List<LatencyProfile> latency = List.of();
        private Clock clock = Clock.system();
        private Clock credentialClock;
        private List<CacheMinimum> cacheMinimums = List.of();
        private List<RateLimit> rateLimits = List.of();
        private long batchProcessingMillis = DEFAULT_BATCH_PROCESSING_MILLIS;
        private List<Capacity.Limit> capacity = List.of();
        private Path trace;
        private EmulatorCredentials credentials = EmulatorCredentials.DEFAULTS;
        private Map<String, List<LatencyProfile>> platformLatency = Map.of();

        private Builder() {}

        public Builder credentials(EmulatorCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Latency profiles per platform, tried before the others for that platform's requests.
         *
         * @throws IllegalArgumentException naming an unknown platform
         */
        public Builder platformLatency(Map<String, List<LatencyProfile>> profiles) {
            for (String platform : profiles.keySet()) {
                if (!PLATFORMS.contains(platform)) {
                    throw new IllegalArgumentException("platforms." + platform + ": unknown platform (expected one of "
                            + PLATFORMS.stream().sorted().toList() + ")");
                }
            }
            Map<String, List<LatencyProfile>> copy = new LinkedHashMap<>();
            profiles.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            this.platformLatency = Map.copyOf(copy);
            return this;
        }

        /** At most {@code maxConcurrent} responses at once for models matching the glob; the rest queue. */
        public Builder maxConcurrent(String model, int maxConcurrent) {
            List<Capacity.Limit> all = new ArrayList<>(capacity);
            all.add(new Capacity.Limit(model, maxConcurrent));
            this.capacity = List.copyOf(all);
            return this;
        }

        Builder capacity(List<Capacity.Limit> capacity) {
            this.capacity = List.copyOf(capacity);
            return this;
        }

        /** Minimum cacheable prefixes tried before the built-in table (first match wins). */
        public Builder cacheMinimums(List<CacheMinimum> cacheMinimums) {
            this.cacheMinimums = List.copyOf(cacheMinimums);
            return this;
        }

        /** Per-model RPM/ITPM/OTPM limits (first match wins); empty = off. */
        public Builder rateLimits(List<RateLimit> rateLimits) {
            this.rateLimits = List.copyOf(rateLimits);
            return this;
        }

        public Builder batchProcessingMillis(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("batch_processing_ms must be >= 0, was " + millis);
            }
            this.batchProcessingMillis = millis;
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder rules(List<Path> rules) {
            this.rules = List.copyOf(rules);
            return this;
        }

        public Builder acceptedKeys(Set<String> acceptedKeys) {
            this.acceptedKeys = Set.copyOf(acceptedKeys);
            return this;
        }

        /** Profiles tried before the built-in defaults; {@code List.of(LatencyProfile.instant("*"))} disables pacing. */
        public Builder latency(List<LatencyProfile> latency) {
            this.latency = List.copyOf(latency);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The clock credentials are judged on ({@link EmulatorConfig#credentialClock()}); null: {@link #clock}. */
        public Builder credentialClock(Clock credentialClock) {
            this.credentialClock = credentialClock;
            return this;
        }

        /**
         * Writes one JSONL line of timings per request to {@code file} (created or truncated when the
         * emulator starts); null for none. See {@link TraceLog}.
         */
        public Builder trace(Path file) {
            this.trace = file;
            return this;
        }

        public EmulatorConfig build() {
            return new EmulatorConfig(this);
        }
    }
}
