package dev.sonde.baseline;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A benchmark run against the baseline its suite names: whether it was compared, against which
 * file and how many accepted runs, and the per-step verdict (a gate per step; {@link Verdict#passed()}
 * false exactly when one failed, which makes {@code sonde run} exit 1). Written into the run's
 * {@code results.json} as {@code baseline}.
 *
 * @param file the baseline file, null when the suite names none
 * @param baselineRuns how many runs the baseline holds (0 when none was read)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BenchmarkComparison(Status status, String file, int baselineRuns, Verdict verdict) {

    /**
     * Whether a comparison took place, and if not, why: the suite has no {@code baseline:}, its file
     * is not there yet, or ({@code not_compared}) it could not be compared and
     * {@code --update-baseline} replaced it.
     */
    public enum Status {
        COMPARED, NOT_CONFIGURED, NO_BASELINE_FILE, NOT_COMPARED;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
