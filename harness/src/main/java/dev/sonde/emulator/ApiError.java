package dev.sonde.emulator;

import java.util.Map;

/**
 * An API error the emulator answers with: HTTP status, {@code error.type}, {@code error.message}
 * and extra response headers (e.g. {@code retry-after}). Thrown inside the emulator and turned
 * into the error body {@code {"type":"error","error":{…},"request_id":…}} at the edge.
 */
final class ApiError extends RuntimeException {
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

    static ApiError invalid(String message) {
        return new ApiError(400, "invalid_request_error", message);
    }
}
