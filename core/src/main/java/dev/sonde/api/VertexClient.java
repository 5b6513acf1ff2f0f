package dev.sonde.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Jackson;
import dev.sonde.metrics.Timings;
import dev.sonde.suite.PlatformFields;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Claude on Google Cloud's Vertex AI: the Messages API behind Vertex's {@code rawPredict} routes, as
 * the official SDK's {@code VertexBackend} speaks it. A request goes to {@code
 * /v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict} ({@code
 * :streamRawPredict} when it streams) with its body less {@code model}, {@code stream} kept, and
 * {@code "anthropic_version"}: a suite's {@code anthropic-version} header, else the body's, else
 * {@code vertex-2023-10-16} ({@link PlatformBodies#versionIntoBody}); there is no {@code
 * anthropic-version} header ({@code anthropic-beta} and other headers pass as headers). Count
 * tokens goes to {@code …/models/count-tokens:rawPredict} with {@code model} kept. A model id
 * with {@code @date} goes raw in the path; {@code ;} is escaped, as the SDK does.
 *
 * <p>Authenticates with {@code Authorization: Bearer} and a {@link VertexAuth} token fetched
 * before the request is timed (a token refresh never shows as latency). A token that cannot be
 * had is an {@link ErrorClass#AUTH auth} failure of the exchange (never retried, stops the run);
 * a 401 forces one token refresh and sends the request once more, and the second answer stands
 * ({@link RefreshOn401}, as Foundry's command tokens).
 * Error bodies in Google's shape ({@code {"error":{"code","message","status"}}}) read by their
 * status; the model's own Anthropic-shaped errors, which Vertex passes through, read as usual.
 * Every token ever used is masked from what the server sends. Never throws for API or network
 * failures (see {@link Provider}). Thread-safe.
 */
public final class VertexClient implements Provider {
    /** The body's {@code anthropic_version} on Vertex. */
    public static final String API_VERSION = "vertex-2023-10-16";

    private final String root;
    private final String endpoint;
    private final VertexAuth auth;
    private final ObjectMapper json = Jackson.plain();
    private final HttpTransport transport;
    private final SecretMask mask;

    /**
     * @param base the platform's root, e.g. {@code https://aiplatform.googleapis.com} (a path
     *     prefix is kept)
     * @param mask every key of the run; the tokens {@code auth} issues are masked too
     * @throws IllegalArgumentException when {@code project} or {@code region} cannot be a path segment
     */
    public VertexClient(URI base, String project, String region, VertexAuth auth, SecretMask mask, Clock clock,
            Duration connectTimeout) {
        this.endpoint = HttpTransport.endpoint(base);
        this.root = endpoint + "/v1/projects/" + segment("project", project) + "/locations/"
                + segment("region", region) + "/publishers/anthropic/models/";
        this.auth = auth;
        this.mask = auth.issued().maskOver(mask);
        this.transport = new HttpTransport(clock, connectTimeout, this.mask, json, base);
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    /**
     * @throws IllegalArgumentException when the request names no model, or one that cannot be a
     *     path segment
     */
    @Override
    public Exchange send(MessageRequest request) throws InterruptedException {
        String model = request.model();
        if (model == null) {
            throw new IllegalArgumentException("vertex: the request names no model");
        }
        URI uri = URI.create(root + segment("model", model) + (request.stream() ? ":streamRawPredict" : ":rawPredict"));
        ObjectNode body = request.body().deepCopy();
        body.remove("model");
        return exchange(uri, body, request, request.stream(), MESSAGES);
    }

    @Override
    public Exchange countTokens(MessageRequest request) throws InterruptedException {
        return exchange(URI.create(root + "count-tokens:rawPredict"), request.body().deepCopy(), request, false,
                COUNT_TOKENS);
    }

    private Exchange exchange(URI uri, ObjectNode body, MessageRequest request, boolean stream, WireProtocol protocol)
            throws InterruptedException {
        PlatformBodies.versionIntoBody(request.headers(), body, API_VERSION);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not serialisable: " + e.getOriginalMessage(), e);
        }
        return RefreshOn401.exchange(request, mask, () -> auth.token(mask), auth::rejected,
                token -> transport.exchange(new HttpTransport.Post(uri, headers(request, token, stream), bytes),
                        request, protocol));
    }

    private static Map<String, String> headers(MessageRequest request, ApiKey token, boolean stream) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("authorization", "Bearer " + token.reveal());
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!reserved(name) && !name.equals("anthropic-version")) { // the version is the body's
                headers.put(h.getKey(), h.getValue());
            }
        }
        if (stream) {
            headers.put("accept", "text/event-stream");
        }
        return headers;
    }

    /**
     * Headers a suite's {@code headers:} never set on a cloud platform's request: the credentials
     * (and an Azure key's {@code api-key}), the host and the body's description.
     */
    static boolean reserved(String lowerCaseName) {
        return switch (lowerCaseName) {
            case "authorization", "x-api-key", "api-key", "host" -> true;
            default -> lowerCaseName.startsWith("content-");
        };
    }

    /**
     * {@code value} as one path segment: refused when it is empty or holds {@code /}, {@code ?},
     * {@code #}, {@code ..} or a control character ({@link PlatformFields#pathSegmentFault}, the rule
     * the suite already checked the model id by); otherwise characters outside the URL's unreserved
     * set, {@code @}, {@code :} and the sub-delimiters are percent-encoded, and {@code ;} too (a
     * server may cut a segment there).
     */
    static String segment(String what, String value) {
        Optional<String> fault = PlatformFields.pathSegmentFault(value);
        if (fault.isPresent()) {
            throw new IllegalArgumentException(value == null || value.isBlank() ? "vertex: the " + what + " is empty"
                    : "vertex: the " + what + " \"" + printable(value) + "\" cannot go in a URL path: it " + fault.get());
        }
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~@:!$&'()*+,=".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    private static String printable(String value) {
        return value.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * {@code error.status}, {@code error.code} and {@code error.message} of a Google-shaped error
     * body (alone or as the first element of an array, as Google's REST gateways send it), by the
     * status name first, then the HTTP status; anything else reads as a Messages API error.
     */
    static ApiFailure errorFrom(int status, byte[] body, ObjectMapper json) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            return AnthropicClient.errorFrom(status, body, json);
        }
        if (root != null && root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        JsonNode error = root == null ? null : root.path("error");
        if (error == null || !error.isObject() || error.has("type") || !(error.has("status") || error.has("code"))) {
            return AnthropicClient.errorFrom(status, body, json);
        }
        String name = error.path("status").isTextual() ? error.path("status").asText() : null;
        return new ApiFailure(googleClass(name, status), status, name, error.path("message").asText(null));
    }

    private static ErrorClass googleClass(String name, int status) {
        if (name != null) {
            switch (name) {
                case "RESOURCE_EXHAUSTED": return ErrorClass.RATE_LIMITED;
                case "UNAUTHENTICATED": return ErrorClass.AUTH;
                case "PERMISSION_DENIED": return ErrorClass.PERMISSION;
                case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE": return ErrorClass.INVALID_REQUEST;
                case "NOT_FOUND": return ErrorClass.NOT_FOUND;
                case "UNAVAILABLE": return ErrorClass.OVERLOADED;
                case "INTERNAL", "UNKNOWN", "DATA_LOSS", "DEADLINE_EXCEEDED": return ErrorClass.SERVER_ERROR;
                default: break;
            }
        }
        return status == 503 ? ErrorClass.OVERLOADED : ErrorClass.ofStatus(status);
    }

    /** The Messages API's answers, with Google's error bodies read too. */
    private static final WireProtocol MESSAGES = withGoogleErrors(WireProtocol.ANTHROPIC);
    private static final WireProtocol COUNT_TOKENS = withGoogleErrors(WireProtocol.COUNT_TOKENS);

    private static WireProtocol withGoogleErrors(WireProtocol base) {
        return new WireProtocol() {
            @Override
            public StreamDecoder decoder(ObjectMapper json, long startNanos, String requestedModel) {
                return base.decoder(json, startNanos, requestedModel);
            }

            @Override
            public Exchange message(int status, String requestId, ServerHints hints, JsonNode body, Timings timings,
                    String requestedModel) {
                return base.message(status, requestId, hints, body, timings, requestedModel);
            }

            @Override
            public ApiFailure error(int status, byte[] body, ObjectMapper json) {
                return errorFrom(status, body, json);
            }

            @Override
            public boolean usageRequired() {
                return base.usageRequired();
            }
        };
    }
}
