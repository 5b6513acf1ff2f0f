package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one reading of AWS's error names, for an HTTP error ({@code x-amzn-ErrorType} header and a
 * {@code {"message": …}} body) and for an event-stream exception frame ({@code :exception-type}):
 * each maps to the class a Messages API error of that kind has, so it is retried (or not) alike.
 * Throttling is {@code rate_limited} (as a 429), an unavailable service {@code overloaded} (as a
 * 529), an internal, model-stream or model-timeout failure {@code server_error}, a validation
 * failure {@code invalid_request}, a signature, key or token AWS does not accept {@code auth}, a
 * denied action {@code permission}. Other names fall back to the status.
 */
final class AwsErrors {
    private AwsErrors() {}

    /** The class of an AWS error name ({@code ThrottlingException}, {@code throttlingException:http://…}). */
    static ErrorClass classOf(String type, int status, ErrorClass otherwise) {
        String name = type == null ? "" : bare(type).toLowerCase(Locale.ROOT);
        return switch (name) {
            case "throttlingexception", "toomanyrequestsexception" -> ErrorClass.RATE_LIMITED;
            case "serviceunavailableexception" -> ErrorClass.OVERLOADED;
            case "internalserverexception", "internalfailure", "modelstreamerrorexception", "modeltimeoutexception",
                    "modelerrorexception" -> ErrorClass.SERVER_ERROR;
            case "validationexception" -> ErrorClass.INVALID_REQUEST;
            case "invalidsignatureexception", "unrecognizedclientexception", "incompletesignatureexception",
                    "missingauthenticationtokenexception", "expiredtokenexception", "invalidclienttokenid",
                    "signaturedoesnotmatch" -> ErrorClass.AUTH;
            case "accessdeniedexception" -> ErrorClass.PERMISSION;
            case "resourcenotfoundexception" -> ErrorClass.NOT_FOUND;
            default -> otherwise;
        };
    }

    /** The name without the namespace AWS may append after a colon. */
    static String bare(String type) {
        String t = type.strip();
        int colon = t.indexOf(':');
        return colon >= 0 ? t.substring(0, colon) : t;
    }

    /**
     * An HTTP error answered by AWS: the type from {@code x-amzn-ErrorType} (else the body's
     * {@code __type}), the message from the body's {@code message} or {@code Message}. A body in the
     * Messages API's own error shape is read as that. The message is masked before it is cut.
     */
    static ApiFailure httpError(int status, String errorTypeHeader, byte[] body, ObjectMapper json, SecretMask mask) {
        String type = errorTypeHeader == null || errorTypeHeader.isBlank() ? null : bare(errorTypeHeader);
        String message = null;
        try {
            JsonNode root = json.readTree(body);
            if (root != null && root.path("error").isObject() && root.path("error").hasNonNull("type")) {
                return AnthropicClient.errorFrom(status, body, json);
            }
            if (root != null) {
                if (type == null && root.hasNonNull("__type")) {
                    type = bare(root.get("__type").asText());
                }
                message = root.hasNonNull("message") ? root.get("message").asText()
                        : root.hasNonNull("Message") ? root.get("Message").asText() : null;
            }
        } catch (IOException notJson) {
            String whole = mask.mask(new String(body, StandardCharsets.UTF_8)).strip();
            String text = whole.length() > 200 ? whole.substring(0, 200) : whole;
            message = text.isEmpty() ? null : text;
        }
        return new ApiFailure(classOf(type, status, ErrorClass.ofStatus(status)), status, type, oneLine(message, mask));
    }

    /**
     * {@code text} masked by {@code mask}, then on one line of at most 300 characters: masked first,
     * so a secret the cut would split is still whole when the mask looks for it.
     */
    static String oneLine(String text, SecretMask mask) {
        if (text == null) {
            return null;
        }
        String line = mask.mask(text).replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
