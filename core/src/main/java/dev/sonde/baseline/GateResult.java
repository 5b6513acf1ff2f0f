package dev.sonde.baseline;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One gate's decision, with everything a reader needs to check it: the observed value and the
 * threshold (as numbers for scripts and as text for people), the statistical evidence (p-value,
 * confidence interval) and one line saying why. {@code subject} is the model label for per-model
 * gates, {@code "run"} otherwise.
 *
 * @param pValue null when the gate uses no test
 * @param ciLow lower bound of the 95 % CI of {@code value}, null when none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GateResult(String gate, String subject, Decision outcome, String observed, String threshold,
        String evidence, String reason, Double value, Double limit, Double pValue, Double ciLow, Double ciHigh) {

    /** PASS and SKIP never fail a build; SKIP says the gate could not judge (and why). */
    public enum Decision {
        PASS, FAIL, SKIP;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean failed() {
        return outcome == Decision.FAIL;
    }

    /** {@code gate [subject]} or just {@code gate} for run-wide gates. */
    public String name() {
        return "run".equals(subject) ? gate : gate + " [" + subject + "]";
    }

    /** One plain-text line: {@code FAIL ttft_p95 [sonnet]: +50.0% > +20.0% (p = 0.0001 < 0.025) — why}. */
    public String line() {
        StringBuilder sb = new StringBuilder(outcome.name()).append(' ').append(name()).append(": ")
                .append(observed);
        if (threshold != null && !threshold.isEmpty()) {
            sb.append(" (limit ").append(threshold).append(')');
        }
        if (evidence != null && !evidence.isEmpty()) {
            sb.append("; ").append(evidence);
        }
        if (reason != null && !reason.isEmpty()) {
            sb.append(" — ").append(reason);
        }
        return sb.toString();
    }
}
