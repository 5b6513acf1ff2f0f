package dev.sonde.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Jackson;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Anthropic Messages API over Jetty's HTTP client ({@link HttpTransport}), with no SDK between
 * the harness and the clock.
 *
 * <p>Authenticates with {@code x-api-key} and sends {@code anthropic-version: 2023-06-01} unless
 * the request's headers override it. Never throws for API or network failures (see
 * {@link Provider}); never puts the key in a message. Thread-safe.
 */
public final class AnthropicClient implements Provider {
    public static final String API_VERSION = "2023-06-01";
    private static final Set<String> RESERVED = Set.of("x-api-key", "authorization", "content-type",
            "content-length", "host");

    private final URI messagesUri;
    private final URI countTokensUri;
    private final String endpoint;
    private final ApiKey apiKey;
    private final ObjectMapper json = Jackson.plain();
    private final HttpTransport transport;

    /**
     * A client whose answers are masked of {@code apiKey} only.
     *
     * @param baseUri the API root, e.g. {@code https://api.anthropic.com} (a path prefix is kept)
     */
    public AnthropicClient(URI baseUri, ApiKey apiKey, Clock clock, Duration connectTimeout) {
        this(baseUri, apiKey, SecretMask.of(apiKey), clock, connectTimeout);
    }

    /**
     * @param baseUri the API root, e.g. {@code https://api.anthropic.com} (a path prefix is kept)
     * @param mask every key of the run, removed from whatever the server sends back
     */
    public AnthropicClient(URI baseUri, ApiKey apiKey, SecretMask mask, Clock clock, Duration connectTimeout) {
        this.endpoint = HttpTransport.endpoint(baseUri);
        this.messagesUri = URI.create(endpoint + "/v1/messages");
        this.countTokensUri = URI.create(endpoint + "/v1/messages/count_tokens");
        this.apiKey = apiKey;
        this.transport = new HttpTransport(clock, connectTimeout, mask, json, baseUri);
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public Exchange send(MessageRequest request) throws InterruptedException {
        return transport.exchange(post(messagesUri, request, request.stream()), request, WireProtocol.ANTHROPIC);
    }

    @Override
    public Exchange countTokens(MessageRequest request) throws InterruptedException {
        return transport.exchange(post(countTokensUri, request, false), request, WireProtocol.COUNT_TOKENS);
    }

    /** A POST of {@code request}'s body to {@code uri} with the key, the version and the request's own headers. */
    private HttpTransport.Post post(URI uri, MessageRequest request, boolean stream) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(request.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not serialisable: " + e.getOriginalMessage(), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-api-key", apiKey.reveal());
        boolean versionSet = false;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (RESERVED.contains(name)) {
                continue;
            }
            versionSet |= name.equals("anthropic-version");
            headers.put(h.getKey(), h.getValue());
        }
        if (!versionSet) {
            headers.put("anthropic-version", API_VERSION);
        }
        if (stream) {
            headers.put("accept", "text/event-stream");
        }
        return new HttpTransport.Post(uri, headers, body);
    }

    /** Reads {@code error.type}/{@code error.message} of an error body, tolerating non-JSON bodies. */
    static ApiFailure errorFrom(int status, byte[] body, ObjectMapper json) {
        String[] typeAndMessage = HttpTransport.errorBody(body, json);
        return new ApiFailure(ErrorClass.ofType(typeAndMessage[0], status), status, typeAndMessage[0], typeAndMessage[1]);
    }
}
