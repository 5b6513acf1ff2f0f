package dev.sonde.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Jackson;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Claude Platform on AWS: the first-party Messages API ({@code POST <base>/v1/messages},
 * {@code /v1/messages/count_tokens}; the body unchanged, {@code anthropic-version: 2023-06-01},
 * SSE) operated by Anthropic in AWS, authenticated by {@link AwsAuth} (SigV4 with the signing name
 * {@code aws-external-anthropic}, or an API key as a bearer) and always naming its workspace in a
 * signed {@code anthropic-workspace-id} header. Never throws for API or network failures;
 * thread-safe.
 */
public final class ClaudePlatformAwsClient implements Provider {
    /** The SigV4 service name of Claude Platform on AWS. */
    public static final String SIGNING_NAME = "aws-external-anthropic";

    private final String endpoint;
    private final URI messagesUri;
    private final URI countTokensUri;
    private final String region;
    private final String workspaceId;
    private final AwsAuth auth;
    private final Clock clock;
    private final ObjectMapper json = Jackson.plain();
    private final HttpTransport transport;

    /**
     * @param base the platform's root (e.g. {@code https://aws-external-anthropic.us-east-1.api.aws},
     *     or the emulator)
     * @param workspaceId the workspace every request names
     * @param mask every secret of the run, removed from answers; every identity {@code auth} signs
     *     with is masked too
     * @param clock times the exchanges; its wall time is the signing time
     * @throws IllegalArgumentException when {@code region} is not an AWS region or the workspace id
     *     is empty or not visible ASCII
     */
    public ClaudePlatformAwsClient(URI base, String region, String workspaceId, AwsAuth auth, SecretMask mask,
            Clock clock, Duration connectTimeout) {
        if (workspaceId == null || workspaceId.isBlank() || !workspaceId.strip().chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("workspace_id must be a non-empty id of visible ASCII characters");
        }
        this.endpoint = HttpTransport.endpoint(base);
        this.messagesUri = URI.create(endpoint + "/v1/messages");
        this.countTokensUri = URI.create(endpoint + "/v1/messages/count_tokens");
        this.region = AwsRequests.region(region);
        this.workspaceId = workspaceId.strip();
        this.auth = auth;
        this.clock = clock;
        // what the chain signs with later (a refreshed session) is masked too
        this.transport = new HttpTransport(clock, connectTimeout, auth.issued().maskOver(mask), json, base);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public Exchange send(MessageRequest request) throws InterruptedException {
        return AwsRequests.send(transport, auth, post(messagesUri, request, request.stream()), SIGNING_NAME, region,
                clock, request, WireProtocol.ANTHROPIC);
    }

    @Override
    public Exchange countTokens(MessageRequest request) throws InterruptedException {
        return AwsRequests.send(transport, auth, post(countTokensUri, request, false), SIGNING_NAME, region, clock,
                request, WireProtocol.COUNT_TOKENS);
    }

    private HttpTransport.Post post(URI uri, MessageRequest request, boolean stream) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        Map<String, String> own = AwsRequests.suiteHeaders(request);
        headers.putAll(own);
        if (!AwsRequests.has(own, "anthropic-version")) {
            headers.put("anthropic-version", AnthropicClient.API_VERSION);
        }
        headers.put("anthropic-workspace-id", workspaceId);
        if (stream) {
            headers.put("accept", "text/event-stream");
        }
        return new HttpTransport.Post(uri, headers, AwsRequests.json(json, request.body()));
    }
}
