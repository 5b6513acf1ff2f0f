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

/**
 * Claude in Microsoft Foundry: the Messages API under the resource's {@code /anthropic} root
 * ({@code /anthropic/v1/messages}, {@code /anthropic/v1/messages/count_tokens}; a base already
 * ending in {@code /anthropic} gets no second one), the body sent as it is ({@code model} is the
 * deployment name), {@code anthropic-version: 2023-06-01} unless the request's headers set it, SSE
 * answers. Authenticates as its {@link FoundryAuth} says ({@code x-api-key} or {@code
 * Authorization: Bearer}); a 401 to a command's token fetches a new one and sends the request once
 * more, and the second answer stands ({@link RefreshOn401}). A token that cannot be had is an {@link ErrorClass#AUTH auth}
 * failure of the exchange. Every credential value is masked from what the server sends. Never
 * throws for API or network failures (see {@link Provider}). Thread-safe.
 */
public final class FoundryClient implements Provider {
    private final URI messagesUri;
    private final URI countTokensUri;
    private final String endpoint;
    private final FoundryAuth auth;
    private final ObjectMapper json = Jackson.plain();
    private final HttpTransport transport;
    private final SecretMask mask;

    /**
     * @param base the resource's root, e.g. {@code https://my-resource.services.ai.azure.com} (a
     *     path prefix is kept)
     * @param mask every key of the run; the credentials {@code auth} holds or fetches are masked too
     */
    public FoundryClient(URI base, FoundryAuth auth, SecretMask mask, Clock clock, Duration connectTimeout) {
        this.endpoint = HttpTransport.endpoint(base);
        String root = endpoint.endsWith("/anthropic") ? endpoint : endpoint + "/anthropic";
        this.messagesUri = URI.create(root + "/v1/messages");
        this.countTokensUri = URI.create(root + "/v1/messages/count_tokens");
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

    @Override
    public Exchange send(MessageRequest request) throws InterruptedException {
        return exchange(messagesUri, request, request.stream(), WireProtocol.ANTHROPIC);
    }

    @Override
    public Exchange countTokens(MessageRequest request) throws InterruptedException {
        return exchange(countTokensUri, request, false, WireProtocol.COUNT_TOKENS);
    }

    private Exchange exchange(URI uri, MessageRequest request, boolean stream, WireProtocol protocol)
            throws InterruptedException {
        byte[] body;
        try {
            body = json.writeValueAsBytes(request.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not serialisable: " + e.getOriginalMessage(), e);
        }
        return RefreshOn401.exchange(request, mask, auth::credential, auth::rejected,
                credential -> transport.exchange(new HttpTransport.Post(uri, headers(request, credential, stream), body),
                        request, protocol));
    }

    private static Map<String, String> headers(MessageRequest request, FoundryAuth.Credential credential,
            boolean stream) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put(credential.header(), credential.value());
        boolean versionSet = false;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (VertexClient.reserved(name)) {
                continue;
            }
            versionSet |= name.equals("anthropic-version");
            headers.put(h.getKey(), h.getValue());
        }
        if (!versionSet) {
            headers.put("anthropic-version", AnthropicClient.API_VERSION);
        }
        if (stream) {
            headers.put("accept", "text/event-stream");
        }
        return headers;
    }
}
