package dev.sonde.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import dev.sonde.metrics.ModelPrice;
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
 *     the built-in table, the suite's {@code pricing:} and {@code --pricing}; an unpriced model is absent
 * @param timingOrigin where every latency starts ({@value #TIMING_ORIGIN}), so runs measured from
 *     different origins are never compared silently
 * @param requestHashes {@code case/model} → {@code sha256:…} of the request body the plan built for
 *     it (the first repeat; a cache variant's first request), so a reader can tell whether the suite
 *     still builds the requests this run sent; empty in runs made before it was recorded
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
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> requestHashes) {

    /** Keeps {@code requestHashes} unmodifiable and sorted by key (null becomes empty), so files list them stably. */
    public RunInfo {
        requestHashes = requestHashes == null ? Map.of() : RequestHashes.of(requestHashes);
    }

    /** The file a run records its {@code RunInfo} in when it starts. */
    public static final String FILE = "run.json";
    /** The timing origin of this client: latencies start when the request is handed to the HTTP client. */
    public static final String TIMING_ORIGIN = "request handed to the JDK HTTP client";

    /** Run metadata as recorded before plan hashes and prices were. */
    public RunInfo(String suite, String suiteFile, String runId, String endpoint, boolean live, Instant startedAt,
            Instant finishedAt, double wallMs, int trialsPlanned, int concurrency, List<ModelRef> models,
            String pricingVersion, String sondeVersion, String javaVersion, Long emulatorSeed, String gitCommit) {
        this(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned, concurrency, models,
                pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, null, null, null, null);
    }

    /** This metadata with the run's end: when it finished, its wall time and what it planned and ran with. */
    public RunInfo finished(Instant finishedAt, double wallMs, int trialsPlanned, int concurrency, String pricingVersion) {
        return new RunInfo(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned,
                concurrency, models, pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, planHash, prices,
                timingOrigin, requestHashes);
    }

    /** This metadata with what the run knows at its start: its plan hash, prices and request hashes. */
    public RunInfo withPlan(String planHash, Map<String, ModelPrice> prices, Map<String, String> requestHashes) {
        return new RunInfo(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned,
                concurrency, models, pricingVersion, sondeVersion, javaVersion, emulatorSeed, gitCommit, planHash,
                prices == null ? null : Map.copyOf(prices), TIMING_ORIGIN, requestHashes);
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
                pricingVersion, sondeVersion, javaVersion, null, null, null, null, null, null);
    }

    /**
     * One model the run used.
     *
     * @param id the model's label in the suite ({@code models[].id}), as trials name it
     * @param model the API model id sent in requests ({@code models[].model})
     */
    public record ModelRef(String id, String model) {}
}
