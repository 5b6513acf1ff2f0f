package dev.sonde.emulator;

import java.util.Map;
import java.util.Objects;

/**
 * An API error the emulator answers with: HTTP status, {@code error.type}, {@code error.message}
 * and extra response headers (e.g. {@code retry-after}). Thrown inside the emulator and turned
 * into the error body {@code {"type":"error","error":{…},"request_id":…}} at the edge.
 */
final class ApiError extends RuntimeException {
    /** {@code error.type} per status (API-SPEC §5.2); other 5xx are {@code api_error}. */
    static final Map<Integer, String> TYPE_BY_STATUS = Map.ofEntries(
            Map.entry(400, "invalid_request_error"), Map.entry(401, "authentication_error"),
            Map.entry(402, "billing_error"), Map.entry(403, "permission_error"), Map.entry(404, "not_found_error"),
            Map.entry(409, "conflict_error"), Map.entry(413, "request_too_large"),
            Map.entry(429, "rate_limit_error"), Map.entry(500, "api_error"), Map.entry(503, "api_error"),
            Map.entry(504, "timeout_error"), Map.entry(529, "overloaded_error"));

    final int status;
    final String type;
    final Map<String, String> headers;

    ApiError(int status, String type, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.headers = Map.copyOf(headers);
    }

    ApiError(int status, String type, String message) {
        this(status, type, message, Map.of());
    }

    /**
     * An error from a status and/or a type (0 / null: derived from the other), with the default
     * message for the type when {@code message} is null.
     *
     * @throws IllegalArgumentException if both are missing or the status is not 400–599
     */
    static ApiError of(int status, String type, String message, Map<String, String> headers) {
        if (status == 0 && type == null) {
            throw new IllegalArgumentException("needs status or type");
        }
        String t = type != null ? type
                : TYPE_BY_STATUS.getOrDefault(status, status >= 500 ? "api_error" : "invalid_request_error");
        int s = status;
        if (s == 0) {
            s = TYPE_BY_STATUS.entrySet().stream().filter(e -> e.getValue().equals(t)).map(Map.Entry::getKey)
                    .min(Integer::compare).orElse(500);
        }
        if (s < 400 || s > 599) {
            throw new IllegalArgumentException("status: must be an HTTP error status (400-599)");
        }
        return new ApiError(s, t, Objects.requireNonNullElse(message, defaultMessage(s, t)), headers);
    }

    private static String defaultMessage(int status, String type) {
        return switch (type) {
            case "overloaded_error" -> "Overloaded";
            case "rate_limit_error" -> "Number of request tokens has exceeded your per-minute rate limit";
            case "api_error" -> status == 503 ? "Service unavailable" : "Internal server error";
            default -> type.replace('_', ' ');
        };
    }

    static ApiError invalid(String message) {
        return new ApiError(400, "invalid_request_error", message);
    }
}
