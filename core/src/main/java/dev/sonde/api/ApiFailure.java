package dev.sonde.api;

/**
 * A classified failure of one exchange. {@code status} is the HTTP status (200 for a stream that
 * failed after its headers, 0 when no response arrived); {@code type} and {@code message} are the
 * API's {@code error.type}/{@code error.message} when it sent a body, else the harness's own
 * description. Never contains a secret.
 */
public record ApiFailure(ErrorClass errorClass, int status, String type, String message) {

    /** One line for humans: {@code auth (401 authentication_error): invalid x-api-key}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(errorClass.wireName());
        if (status > 0 || type != null) {
            sb.append(" (");
            if (status > 0) {
                sb.append(status);
            }
            if (type != null) {
                sb.append(status > 0 ? " " : "").append(type);
            }
            sb.append(')');
        }
        if (message != null && !message.isEmpty()) {
            sb.append(": ").append(message);
        }
        return sb.toString();
    }
}
