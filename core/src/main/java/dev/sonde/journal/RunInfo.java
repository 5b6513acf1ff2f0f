package dev.sonde.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import dev.sonde.metrics.ModelPrice;
import dev.sonde.metrics.PriceKey;
import dev.sonde.metrics.RequestHashes;
import java.util.List;
import java.util.Map;

/**
 * What a run was: the metadata every output repeats so a file found later explains itself.
 *
 * @param endpoint {@code "emulator"} or the base URL called
 * @param live true when a real API (not the embedded emulator) was called
 * @param suiteFile the suite path as given
 * @param models each model's label and API id, in suite order
 * @param emulatorSeed the embedded emulator's seed when it answered (null for a live run)
 * @param gitCommit the suite's checkout when the run started ({@code abc1234}, "+dirty" with local
 *     changes), or null outside git
 * @param planHash {@code sha256:…} of the suite file and the whole resolved plan (every trial id and
 *     every distinct request body, before any {@code --shard} selection): two runs with the same hash
 *     sent the same requests, so resume, shards and merge can trust each other; null in runs made
 *     before it was recorded
 * @param prices the base prices (USD per million tokens) the run priced each of its models at, from
 *     the built-in table, the suite's {@code pricing:} and {@code --pricing}, keyed by the model's
 *     price key (its API id on the first-party API, {@code bedrock/us-east-1/…} on a platform, the
 *     price there: a regional premium included); an unpriced model is absent
 * @param timingOrigin where every latency starts: {@value #TIMING_ORIGIN} (the request on the wire,
 *     the HTTP client's commit event; {@code dispatch_ms} is the time before it), so runs measured
 *     from different origins are never compared silently; runs made before 2026-12-05 recorded
 *     "request handed to the JDK HTTP client" or nothing, both {@value #CALL_ORIGIN} ({@link
 *     #originOf})
 * @param requestHashes {@code case/model} → {@code sha256:…} of the request body the plan built for
 *     it (the first repeat; a cache variant's first request), so a reader can tell whether the suite
 *     still builds the requests this run sent; empty in runs made before it was recorded
 * @param shard the share of the plan this run sent ({@code --shard k/n}), null for a run of the whole
 *     plan; always written ({@code "shard": null} too), so a file without the key is a run made before
 *     shards were recorded, which {@code sonde merge} cannot vouch for
 * @param merged what a {@code sonde merge} joined (absent from any other run)
 * @param repeat how many times the plan repeats each case × model ({@code --repeat N}, else the
 *     suite's {@code run.repeat}); what a reader that plans the run again from its suite file
 *     ({@code sonde merge}) must repeat by, since the file does not record {@code --repeat}. Null for
 *     a benchmark, and in runs made before it was recorded, whose plan repeated by the suite's
 *     {@code run.repeat} ({@link #repeatOr})
 * @param part true for a run of a selection of the plan's trials ({@code --only}, a test engine's
 *     filter, the library's {@code only(...)}; its id ends {@code -part}), which is no run of the
 *     whole plan; absent (null) otherwise and in runs made before it was recorded
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunInfo(
        String suite,
        String suiteFile,
        String runId,
        String endpoint,
        boolean live,
        Instant startedAt,
        Instant finishedAt,
        double wallMs,
        int trialsPlanned,
        int concurrency,
        List<ModelRef> models,
        String pricingVersion,
        String sondeVersion,
        String javaVersion,
        Long emulatorSeed,
        String gitCommit,
        @JsonInclude(JsonInclude.Include.NON_NULL) String planHash,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, ModelPrice> prices,
        @JsonInclude(JsonInclude.Include.NON_NULL) String timingOrigin,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> requestHashes,
        Shard shard,
        @JsonInclude(JsonInclude.Include.NON_NULL) Merged merged,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer repeat,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean part) {

    /** Keeps {@code requestHashes} unmodifiable and sorted by key (null becomes empty), so files list them stably. */
    public RunInfo {
        requestHashes = requestHashes == null ? Map.of() : RequestHashes.of(requestHashes);
    }

    /** The file a run records its {@code RunInfo} in when it starts. */
    public static final String FILE = "run.json";
    /** The timing origin of this client: latencies start when the request is on the wire. */
    public static final String TIMING_ORIGIN = "wire";
    /** The origin of runs made before: latencies started when the request was handed to the HTTP client. */
    public static final String CALL_ORIGIN = "call";

    /** {@value #TIMING_ORIGIN} or {@value #CALL_ORIGIN}: what a recorded {@code timing_origin} (null in old runs) means. */
    public static String originOf(String recorded) {
        return TIMING_ORIGIN.equals(recorded) ? TIMING_ORIGIN : CALL_ORIGIN;
    }

    /** Run metadata of the whole plan or a shard of it (no selection). */
    public RunInfo(String suite, String suiteFile, String runId, String endpoint, boolean live, Instant startedAt,
            Instant finishedAt, double wallMs, int trialsPlanned, int concurrency, List<ModelRef> models,
            String pricingVersion, String sondeVersion, String javaVersion, Long emulatorSeed, String gitCommit,
            String planHash, Map<String, ModelPrice> prices, String timingOrigin, Map<String, String> requestHashes,
            Shard shard, Merged merged, Integer repeat) {
        this(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned, concurrency, models,
                pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, planHash, prices, timingOrigin,
                requestHashes, shard, merged, repeat, null);
    }

    /** This metadata for a run of a selection of the plan's trials ({@code -part}), or of all of them. */
    public RunInfo withPart(boolean selected) {
        return new RunInfo(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned,
                concurrency, models, pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, planHash, prices,
                timingOrigin, requestHashes, shard, merged, repeat, selected ? Boolean.TRUE : null);
    }

    /** Run metadata as recorded before plan hashes and prices were. */
    public RunInfo(String suite, String suiteFile, String runId, String endpoint, boolean live, Instant startedAt,
            Instant finishedAt, double wallMs, int trialsPlanned, int concurrency, List<ModelRef> models,
            String pricingVersion, String sondeVersion, String javaVersion, Long emulatorSeed, String gitCommit) {
        this(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned, concurrency, models,
                pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, null, null, null, null, null, null, null, null);
    }

    /** This metadata with the run's end: when it finished, its wall time and what it planned and ran with. */
    public RunInfo finished(Instant finishedAt, double wallMs, int trialsPlanned, int concurrency, String pricingVersion) {
        return new RunInfo(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned,
                concurrency, models, pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, planHash, prices,
                timingOrigin, requestHashes, shard, merged, repeat, part);
    }

    /** This metadata with what the run knows at its start: its plan hash, prices and request hashes. */
    public RunInfo withPlan(String planHash, Map<String, ModelPrice> prices, Map<String, String> requestHashes) {
        return new RunInfo(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned,
                concurrency, models, pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, planHash,
                prices == null ? null : Map.copyOf(prices), TIMING_ORIGIN, requestHashes, shard, merged, repeat, part);
    }

    /** This metadata for a run of one share of the plan ({@code --shard k/n}; null for the whole plan). */
    public RunInfo withShard(Shard shard) {
        return new RunInfo(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned,
                concurrency, models, pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, planHash, prices,
                timingOrigin, requestHashes, shard, merged, repeat, part);
    }

    /**
     * This metadata for a run whose plan repeats each case × model {@code repeat} times (null for a
     * benchmark, which runs for a duration).
     */
    public RunInfo withRepeat(Integer repeat) {
        return new RunInfo(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned,
                concurrency, models, pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, planHash, prices,
                timingOrigin, requestHashes, shard, merged, repeat, part);
    }

    /** The repeat count the run recorded, or {@code suiteRepeat} (its suite's {@code run.repeat}) for a run made before it was. */
    public int repeatOr(int suiteRepeat) {
        return repeat != null ? repeat : suiteRepeat;
    }

    /** Writes this metadata to {@value #FILE} in {@code dir}, all-or-nothing. */
    public void writeTo(java.nio.file.Path dir) throws java.io.IOException {
        // streamed: a plan of 100,000 cases records ~9 MB of request hashes, never held as one string
        AtomicFile.write(dir.resolve(FILE), out -> {
            Journal.JSON.writerWithDefaultPrettyPrinter().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .writeValue(out, this);
            out.write("\n");
        });
    }

    /** The metadata a run recorded at its start in {@code dir}, or empty for a run made before it was recorded. */
    public static java.util.Optional<RunInfo> readFrom(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve(FILE);
        if (!java.nio.file.Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Journal.JSON.readValue(file.toFile(), RunInfo.class));
    }

    /** Run metadata without provenance (no emulator seed, no git commit known). */
    public RunInfo(String suite, String suiteFile, String runId, String endpoint, boolean live, Instant startedAt,
            Instant finishedAt, double wallMs, int trialsPlanned, int concurrency, List<ModelRef> models,
            String pricingVersion, String sondeVersion, String javaVersion) {
        this(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned, concurrency, models,
                pricingVersion, sondeVersion, javaVersion, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * One model the run used.
     *
     * @param id the model's label in the suite ({@code models[].id}), as trials name it
     * @param model the API model id sent in requests ({@code models[].model}; on a cloud platform its
     *     own id or deployment name)
     * @param provider the cloud platform it ran on ({@code bedrock}, {@code claude-platform-aws},
     *     {@code vertex}, {@code foundry}); null for the first-party API and chat gateways, and in runs
     *     made before it was recorded (the key is left out when null, so a first-party run.json is as
     *     before)
     * @param region the platform's region ({@code us-east-1}, {@code global}, …); null without one
     */
    public record ModelRef(String id, String model, @JsonInclude(JsonInclude.Include.NON_NULL) String provider,
            @JsonInclude(JsonInclude.Include.NON_NULL) String region) {
        /** A model on the first-party API (or a chat gateway): no platform. */
        public ModelRef(String id, String model) {
            this(id, model, null, null);
        }

        /**
         * Where it ran as reports name it, {@code bedrock · us-east-1}; null on the first-party API.
         * Written beside provider and region (read back from them, never from this key).
         */
        @com.fasterxml.jackson.annotation.JsonProperty(value = "platform", access =
                com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public String platform() {
            return PriceKey.label(provider, region);
        }
    }

    /**
     * {@code label} with the cloud platform it ran on beside it ({@link #withPlatform}); the label
     * alone for a model that ran on the first-party API. The one way every output (console, summary,
     * report) names a model.
     */
    public String titled(String label) {
        return withPlatform(label, platforms().get(label));
    }

    /**
     * {@code name} with where it ran beside it, {@code br-sonnet (bedrock · us-east-1)}; {@code name}
     * alone on the first-party API ({@code platform} null) or when the name already says all of it
     * ({@code foundry} on Foundry); a name that is the platform's own gets its region alone,
     * {@code bedrock (us-east-1)}.
     */
    public static String withPlatform(String name, String platform) {
        if (platform == null || platform.equals(name)) {
            return name;
        }
        return platform.startsWith(name + " · ") ? name + " (" + platform.substring(name.length() + 3) + ")"
                : name + " (" + platform + ")";
    }

    /** Model label → {@link ModelRef#platform()} for the models that ran on a cloud platform; empty when none did. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Map<String, String> platforms() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (models != null) {
            models.stream().filter(m -> m.platform() != null).forEach(m -> out.put(m.id(), m.platform()));
        }
        return out;
    }

    /**
     * The share of a plan one run sent: shard {@code k} of {@code n} ({@code --shard k/n}).
     *
     * @param k which share, 1 to {@code n}
     * @param n how many shares the plan was dealt into
     */
    public record Shard(int k, int n) {
        /** @throws IllegalArgumentException unless 1 ≤ k ≤ n (a file edited by hand is refused on reading) */
        public Shard {
            if (n < 1 || k < 1 || k > n) {
                throw new IllegalArgumentException("a shard is k/n with 1 <= k <= n, not " + k + "/" + n);
            }
        }

        /** {@code 2/3}. */
        @Override
        public String toString() {
            return k + "/" + n;
        }
    }

    /**
     * What a {@code sonde merge} joined. Without {@code --allow-partial} a merge is exactly the
     * {@code n} shards of one plan, so {@code missing} is empty and {@code unrecorded} 0; with it,
     * whatever was given, and {@code partial} says the merged run is not known to be the whole plan
     * (its verdict is then {@code partial}).
     *
     * @param n how many shards the plan was dealt into, or null when no merged run recorded its shard
     * @param shards the shards merged, by {@code k}, ascending
     * @param missing the shards of {@code n} that were not merged, ascending
     * @param unrecorded how many merged runs recorded no shard (made before shards were recorded)
     * @param partial {@code missing} is not empty or {@code unrecorded} is not 0
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Merged(Integer n, List<Integer> shards, List<Integer> missing, int unrecorded, boolean partial) {
        /**
         * Keeps both lists unmodifiable (null becomes empty); a merge that lacks something is
         * {@code partial} whatever a file says.
         */
        public Merged {
            shards = shards == null ? List.of() : List.copyOf(shards);
            missing = missing == null ? List.of() : List.copyOf(missing);
            partial = partial || !missing.isEmpty() || unrecorded > 0;
        }

        /** The record of a merge, {@code partial} worked out from what is missing and unrecorded. */
        public static Merged of(Integer n, List<Integer> shards, List<Integer> missing, int unrecorded) {
            return new Merged(n, shards, missing, unrecorded, false);
        }

        /**
         * What a partial merge lacks, for every output to say alike: {@code shard 2/3 missing} or
         * {@code shards 2/4, 3/4 missing}, and {@code 2 runs record no shard}; empty when whole.
         */
        public String lacking() {
            List<String> parts = new java.util.ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add((missing.size() == 1 ? "shard " : "shards ") + String.join(", ",
                        missing.stream().map(k -> k + "/" + n).toList()) + " missing");
            }
            if (unrecorded > 0) {
                parts.add(unrecorded + (unrecorded == 1 ? " run records" : " runs record") + " no shard");
            }
            return String.join("; ", parts);
        }
    }
}
