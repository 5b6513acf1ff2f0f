package dev.sonde.journal;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

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
        String gitCommit) {

    /** Run metadata without provenance (no emulator seed, no git commit known). */
    public RunInfo(String suite, String suiteFile, String runId, String endpoint, boolean live, Instant startedAt,
            Instant finishedAt, double wallMs, int trialsPlanned, int concurrency, List<ModelRef> models,
            String pricingVersion, String sondeVersion, String javaVersion) {
        this(suite, suiteFile, runId, endpoint, live, startedAt, finishedAt, wallMs, trialsPlanned, concurrency, models,
                pricingVersion, sondeVersion, javaVersion, null, null);
    }

    public record ModelRef(String id, String model) {}
}
