package dev.sonde.report;

import dev.sonde.metrics.Fmt;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.journal.RunInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Where a benchmark's figures came from, as its console, {@code results.json} ({@code provenance})
 * and {@code report.html} state it: {@code LIVE} or {@code emulator}, the endpoint, the models, the
 * start time, the git commit and the emulator's seed (null when live). Taken from the run's
 * {@link RunInfo} as recorded at its start; the commit falls back to the checkout's as eval reports
 * do ({@link Provenance}). Never fails.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"source", "endpoint", "models", "started_at", "git_commit", "emulator_seed"})
public record BenchmarkOrigin(String source, String endpoint, List<String> models, Instant startedAt,
        String gitCommit, Long emulatorSeed) {

    /** The origin of the run {@code info} describes ({@code outDir} for the commit when it recorded none). */
    public static BenchmarkOrigin of(RunInfo info, Path outDir) {
        if (info == null) {
            return new BenchmarkOrigin(Provenance.UNKNOWN, Provenance.UNKNOWN, List.of(), null,
                    Provenance.of(null, outDir).gitCommit(), null);
        }
        List<String> models = info.models() == null ? List.of()
                : info.models().stream().map(RunInfo.ModelRef::model).distinct().toList();
        return new BenchmarkOrigin(info.live() ? "LIVE" : "emulator", info.endpoint(), models, info.startedAt(),
                Provenance.of(info, outDir).gitCommit(), info.live() ? null : info.emulatorSeed());
    }

    /** One line: {@code LIVE https://api.anthropic.com · claude-haiku-4-5 · started 2026-12-05 08:01:00 UTC · commit …}. */
    public String line() {
        return source + (endpoint == null || endpoint.equals(source) ? "" : " " + endpoint) + " · "
                + (models.isEmpty() ? "no model" : String.join(", ", models))
                + " · started " + Fmt.instant(startedAt) + " · commit " + gitCommit
                + (emulatorSeed == null ? "" : " · seed " + emulatorSeed);
    }
}
