package dev.sonde.journal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sonde.api.ApiFailure;

/**
 * A trial's failure as written to the journal: {@code {"class": "rate_limited", "status": 429, …}}.
 *
 * @param errorClass the {@link dev.sonde.api.ErrorClass#wireName()} of the failure
 * @param status the HTTP status: 200 for a stream that failed after its headers, 0 when no response arrived
 *     or the failure came in a batch result
 * @param type the API's {@code error.type} when it sent one, else null
 * @param message the API's {@code error.message}, or the harness's own description; never holds a key
 */
public record TrialError(@JsonProperty("class") String errorClass, int status, String type, String message) {

    /** The journaled form of {@code f}; null when {@code f} is null (the exchange succeeded). */
    public static TrialError of(ApiFailure f) {
        return f == null ? null : new TrialError(f.errorClass().wireName(), f.status(), f.type(), f.message());
    }

    /**
     * One line for people, e.g. {@code rate_limited (429 rate_limit_error): …}: the parenthesis only when
     * {@code status > 0} (so a status-0 failure shows no {@code type}), the message only when non-empty.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(errorClass);
        if (status > 0) {
            sb.append(" (").append(status).append(type == null ? "" : " " + type).append(')');
        }
        return message == null || message.isEmpty() ? sb.toString() : sb.append(": ").append(message).toString();
    }
}
