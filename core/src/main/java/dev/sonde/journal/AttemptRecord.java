package dev.sonde.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One HTTP attempt of a trial, as journaled in {@code attempt_log}: its HTTP status (0 = no
 * response), error class and API error type (null when it succeeded), request id, the backoff
 * waited before it (0 for the first), and its own end-to-end time (null when it never completed).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptRecord(int attempt, int status, String error, String errorType, String requestId,
        double backoffMs, Double e2eMs) {}
