package dev.sonde.journal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sonde.api.ApiFailure;

/** A trial's failure as written to the journal: {@code {"class": "rate_limited", "status": 429, …}}. */
public record TrialError(@JsonProperty("class") String errorClass, int status, String type, String message) {

    public static TrialError of(ApiFailure f) {
        return f == null ? null : new TrialError(f.errorClass().wireName(), f.status(), f.type(), f.message());
    }

    public String describe() {
        StringBuilder sb = new StringBuilder(errorClass);
        if (status > 0) {
            sb.append(" (").append(status).append(type == null ? "" : " " + type).append(')');
        }
        return message == null || message.isEmpty() ? sb.toString() : sb.append(": ").append(message).toString();
    }
}
