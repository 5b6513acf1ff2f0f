package dev.sonde.run;

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
        String javaVersion) {

    public record ModelRef(String id, String model) {}
}
