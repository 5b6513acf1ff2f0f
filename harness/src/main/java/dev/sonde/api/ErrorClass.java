package dev.sonde.api;

/**
 * Why an exchange failed, in the classes METRICS.md reports error rates by. {@link #wireName()}
 * is the snake_case name used in journals and reports. A refusal is not an error.
 */
public enum ErrorClass {
    RATE_LIMITED("rate_limited", true),
    OVERLOADED("overloaded", true),
    SERVER_ERROR("server_error", true),
    AUTH("auth", false),
    PERMISSION("permission", false),
    BILLING("billing", false),
    NOT_FOUND("not_found", false),
    INVALID_REQUEST("invalid_request", false),
    REQUEST_TOO_LARGE("request_too_large", false),
    CONFLICT("conflict", true),
    /** No connection could be made: refused, unknown host, TLS failure. */
    UNREACHABLE("unreachable", true),
    TIMEOUT_CONNECT("timeout_connect", true),
    TIMEOUT_FIRST_TOKEN("timeout_first_token", true),
    TIMEOUT_IDLE("timeout_idle", true),
    TIMEOUT_TOTAL("timeout_total", true),
    /** The stream ended without {@code message_stop}, carried an {@code error} event, or was not valid SSE. */
    STREAM_BROKEN("stream_broken", false),
    /** A status or body the harness does not recognise. */
    PROTOCOL("protocol", false),
    /** A tool loop still asked for tools after its last allowed turn. */
    TOOL_LOOP_LIMIT("tool_loop_limit", false),
    /** A tool loop got a call that no {@code tool_loop.results} answer, fallback or default covers. */
    TOOL_RESULT_MISSING("tool_result_missing", false),
    /**
     * A budget ({@code budget:}) refused a request of a trial that had already sent one (the next
     * turn of a tool loop): the trial ends there and the run stops.
     */
    BUDGET("budget", false);

    private final String wireName;
    private final boolean retryable;

    ErrorClass(String wireName, boolean retryable) {
        this.wireName = wireName;
        this.retryable = retryable;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the official SDK contract would retry this class (API-NOTES "Errors"). */
    public boolean retryable() {
        return retryable;
    }

    /**
     * Failures that make every further request pointless (a bad key, no permission, no credit,
     * nothing listening): the run stops with exit code 3 instead of failing each trial.
     */
    public boolean stopsRun() {
        return this == AUTH || this == PERMISSION || this == BILLING || this == UNREACHABLE;
    }

    /** Classifies an HTTP error status (API-NOTES error table). */
    public static ErrorClass ofStatus(int status) {
        return switch (status) {
            case 400, 422 -> INVALID_REQUEST;
            case 401 -> AUTH;
            case 402 -> BILLING;
            case 403 -> PERMISSION;
            case 404 -> NOT_FOUND;
            case 408 -> TIMEOUT_TOTAL;
            case 409 -> CONFLICT;
            case 413 -> REQUEST_TOO_LARGE;
            case 429 -> RATE_LIMITED;
            case 529 -> OVERLOADED;
            default -> status >= 500 ? SERVER_ERROR : PROTOCOL;
        };
    }

    /** Classifies an {@code error.type} from a body or a mid-stream {@code error} event. */
    public static ErrorClass ofType(String type, int status) {
        if (type == null) {
            return ofStatus(status);
        }
        return switch (type) {
            case "overloaded_error" -> OVERLOADED;
            case "rate_limit_error" -> RATE_LIMITED;
            case "api_error", "timeout_error" -> SERVER_ERROR;
            case "authentication_error" -> AUTH;
            case "permission_error" -> PERMISSION;
            case "billing_error" -> BILLING;
            case "not_found_error" -> NOT_FOUND;
            case "invalid_request_error" -> INVALID_REQUEST;
            case "request_too_large" -> REQUEST_TOO_LARGE;
            default -> ofStatus(status);
        };
    }
}
