package dev.sonde.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Jackson;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI-compatible gateway ({@code POST <base>/v1/chat/completions}, {@code Authorization:
 * Bearer}), fed the same Messages-style bodies as {@link AnthropicClient} (translated by
 * {@link ChatRequests}) and returning the same timed, classified {@link Exchange}. A base URL that
 * already ends in {@code /v1} is not given a second one. Thread-safe.
 */
public final class OpenAiChatClient implements Provider {
    private static final Set<String> RESERVED = Set.of("authorization", "x-api-key", "content-type", "content-length",
            "host", "anthropic-version", "anthropic-beta");

    private final URI chatUri;
    private final String endpoint;
    private final ApiKey apiKey;
    private final ObjectMapper json = Jackson.plain();
    private final HttpTransport transport;

    /** A client whose answers are masked of {@code apiKey} only. */
    public OpenAiChatClient(URI baseUri, ApiKey apiKey, Clock clock, Duration connectTimeout) {
        this(baseUri, apiKey, SecretMask.of(apiKey), clock, connectTimeout);
    }

    /** @param mask every key of the run, removed from whatever the server sends back */
    public OpenAiChatClient(URI baseUri, ApiKey apiKey, SecretMask mask, Clock clock, Duration connectTimeout) {
        this.endpoint = HttpTransport.endpoint(baseUri);
        this.chatUri = URI.create(endpoint + (endpoint.endsWith("/v1") ? "" : "/v1") + "/chat/completions");
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
        byte[] body;
        try {
            body = json.writeValueAsBytes(ChatRequests.translate(request.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not serialisable: " + e.getOriginalMessage(), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("authorization", "Bearer " + apiKey.reveal());
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (!RESERVED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.put(h.getKey(), h.getValue());
            }
        }
        if (request.stream()) {
            headers.put("accept", "text/event-stream");
        }
        return transport.exchange(new HttpTransport.Post(chatUri, headers, body), request, ChatProtocol.INSTANCE);
    }
}
