package dev.sonde.api;

/**
 * Why an exchange failed, in the classes METRICS.md reports error rates by. {@link #wireName()}
 * is the snake_case name used in journals and reports. A refusal is not an error.
 */
public enum ErrorClass {
    RATE_LIMITED("rate_limited", Retry.RETRIED),
    OVERLOADED("overloaded", Retry.RETRIED),
    SERVER_ERROR("server_error", Retry.RETRIED),
    AUTH("auth", Retry.NEVER),
    PERMISSION("permission", Retry.NEVER),
    BILLING("billing", Retry.NEVER),
    NOT_FOUND("not_found", Retry.NOT_BY_DEFAULT),
    INVALID_REQUEST("invalid_request", Retry.NOT_BY_DEFAULT),
    REQUEST_TOO_LARGE("request_too_large", Retry.NOT_BY_DEFAULT),
    CONFLICT("conflict", Retry.RETRIED),
    /**
     * No connection could be made, so the request was never sent: connection refused, unknown host
     * (DNS), no route, or a TLS handshake that failed. It stops a run only while its endpoint has
     * not yet answered in that run (the run knows which have): later, it fails the trial.
     */
    UNREACHABLE("unreachable", Retry.RETRIED),
    /**
     * A connection was made, then closed or reset before any response headers arrived (a server or
     * proxy that dropped it, a kept-alive connection the server had closed): the request may have
     * reached the server. Retried; it fails that trial only, never the run. A connection dropped
     * after the headers is {@link #STREAM_BROKEN}.
     */
    CONNECTION_CLOSED("connection_closed", Retry.RETRIED),
    TIMEOUT_CONNECT("timeout_connect", Retry.RETRIED),
    TIMEOUT_FIRST_TOKEN("timeout_first_token", Retry.RETRIED),
    TIMEOUT_IDLE("timeout_idle", Retry.RETRIED),
    TIMEOUT_TOTAL("timeout_total", Retry.NEVER),
    /**
     * The response broke after its headers: the stream ended without {@code message_stop}, carried an
     * {@code error} event or was not valid SSE, or the connection dropped mid-body.
     */
    STREAM_BROKEN("stream_broken", Retry.RETRIED),
    /** A status or body the harness does not recognise. */
    PROTOCOL("protocol", Retry.NOT_BY_DEFAULT),
    /** A tool loop still asked for tools after its last allowed turn. */
    TOOL_LOOP_LIMIT("tool_loop_limit", Retry.NEVER),
    /** A tool loop got a call that no {@code tool_loop.results} answer, fallback or default covers. */
    TOOL_RESULT_MISSING("tool_result_missing", Retry.NEVER),
    /**
     * A budget ({@code budget:}) refused a request of a trial that had already sent one (the next
     * turn of a tool loop): the trial ends there and the run stops.
     */
    BUDGET("budget", Retry.NEVER);

    /**
     * The one retry rule by class, which {@code run.Retrier} applies with what the server said:
     * {@link #RETRIED} classes are tried again; {@link #NOT_BY_DEFAULT} ones only when the server
     * sends {@code x-should-retry: true}; {@link #NEVER} ones never (a bad key, no permission or
     * credit, the total timeout spent, the harness's own limits). By status, which decides first:
     * 408, 409, 429, 5xx retried (a server's 408 is classed {@code timeout_total} but retried like
     * the official SDKs do); 400, 401, 402, 403, 404, 413, 422 never, whatever the server says.
     */
    public enum Retry { RETRIED, NOT_BY_DEFAULT, NEVER }

    private final String wireName;
    private final Retry retry;

    ErrorClass(String wireName, Retry retry) {
        this.wireName = wireName;
        this.retry = retry;
    }

    public String wireName() {
        return wireName;
    }

    /** How this class is retried ({@link Retry}). */
    public Retry retry() {
        return retry;
    }

    /**
     * Failures that make every further request pointless wherever they happen (a bad key, no
     * permission, no credit): the run stops with exit code 3 instead of failing each trial.
     * {@link #UNREACHABLE} is not one of them: it stops a run only before its endpoint has answered
     * (the run decides, knowing which endpoints have); a closed connection never does.
     */
    public boolean stopsRun() {
        return this == AUTH || this == PERMISSION || this == BILLING;
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
