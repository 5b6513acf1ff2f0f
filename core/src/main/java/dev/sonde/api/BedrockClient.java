package dev.sonde.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.BedrockIds;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Jackson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Amazon Bedrock, by one of three routes ({@link Route}): the Messages API on bedrock-runtime
 * ({@code POST <base>/anthropic/v1/messages}, signing name {@code bedrock}) or on bedrock-mantle
 * (the same path, signing name {@code bedrock-mantle}), both with the Messages body unchanged,
 * {@code anthropic-version: 2023-06-01} and an SSE answer; or InvokeModel
 * ({@code POST <base>/model/{id}/invoke}, or {@code …/invoke-with-response-stream} for a stream;
 * the id URL-path-encoded, {@code :} as {@code %3A}), whose body has no {@code model} nor
 * {@code stream}, carries {@code "anthropic_version"} (a suite's {@code anthropic-version} header,
 * else the body's, else {@code bedrock-2023-05-31}: {@link PlatformBodies#versionIntoBody}) and the
 * {@code anthropic-beta} header's values as its {@code anthropic_beta} array and the
 * {@code anthropic-user-profile-id} header as its {@code user_profile_id} (unless the body has one;
 * neither header, nor {@code anthropic-version}, is sent), and whose stream is an AWS event stream
 * ({@link EventStreamFramer}). Mantle takes the user-profile header in the body too
 * ({@link #userProfileIntoBody}).
 *
 * <p>Authenticated by {@link AwsAuth} (SigV4 over every header sent, or a Bedrock API key as a
 * bearer). No token counting: InvokeModel has no such operation, and a count-tokens route of the
 * Messages API on Bedrock is not in AWS's documentation of it (Bedrock's own CountTokens action
 * takes another body), so {@link #countTokens} is null on every route. Never throws for API or
 * network failures; thread-safe.
 */
public final class BedrockClient implements Provider {
    /** The body's version on the InvokeModel route. */
    public static final String INVOKE_VERSION = "bedrock-2023-05-31";
    /** The header InvokeModel takes in its body as {@code user_profile_id}, as the SDK's BedrockBackend moves it. */
    static final String USER_PROFILE_HEADER = "anthropic-user-profile-id";

    /** How requests reach Bedrock. */
    public enum Route {
        /** The Messages API on bedrock-runtime. */
        RUNTIME_MESSAGES("bedrock"),
        /** The Messages API on bedrock-mantle. */
        MANTLE_MESSAGES("bedrock-mantle"),
        /** InvokeModel and InvokeModelWithResponseStream on bedrock-runtime. */
        INVOKE("bedrock");

        private final String signingName;

        Route(String signingName) {
            this.signingName = signingName;
        }

        /** The SigV4 service name requests on this route are signed for. */
        public String signingName() {
            return signingName;
        }
    }

    /**
     * The route a model's fields choose: {@code endpoint} {@code mantle} is the Messages API on
     * mantle; {@code api} {@code invoke} or {@code messages} says which API on bedrock-runtime; with
     * no {@code api}, an ARN-versioned id ({@code [geo.]anthropic.<name>-v<N>[:<M>]} or
     * {@code arn:aws:bedrock:…}) goes to InvokeModel, any other to the Messages API: the rule of
     * {@link BedrockIds#invoke}, which the suite's {@code ModelSpec.invoke()} applies too.
     *
     * @param endpoint {@code runtime}, {@code mantle} or null (runtime)
     * @param api {@code messages}, {@code invoke} or null (by the id)
     * @throws IllegalArgumentException for another value, or {@code invoke} on mantle
     */
    public static Route route(String endpoint, String api, String modelId) {
        boolean mantle;
        if (endpoint == null || endpoint.equals("runtime")) {
            mantle = false;
        } else if (endpoint.equals("mantle")) {
            mantle = true;
        } else {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not runtime or mantle");
        }
        if (api != null && !api.equals("messages") && !api.equals("invoke")) {
            throw new IllegalArgumentException("api '" + api + "' is not messages or invoke");
        }
        if (mantle) {
            if ("invoke".equals(api)) {
                throw new IllegalArgumentException("api invoke needs endpoint runtime (mantle serves the Messages API only)");
            }
            return Route.MANTLE_MESSAGES;
        }
        return BedrockIds.invoke(endpoint, api, modelId) ? Route.INVOKE : Route.RUNTIME_MESSAGES;
    }

    private final String endpoint;
    private final String region;
    private final Route route;
    private final AwsAuth auth;
    private final Clock clock;
    private final ObjectMapper json = Jackson.plain();
    private final HttpTransport transport;

    /**
     * @param base the platform's root (e.g. {@code https://bedrock-runtime.us-east-1.amazonaws.com},
     *     or the emulator); the route's path is appended
     * @param region the AWS region the requests are signed for
     * @param mask every secret of the run, removed from answers; every identity {@code auth} signs
     *     with is masked too
     * @param clock times the exchanges; its wall time is the signing time
     * @throws IllegalArgumentException when {@code region} is not an AWS region
     */
    public BedrockClient(URI base, String region, Route route, AwsAuth auth, SecretMask mask, Clock clock,
            Duration connectTimeout) {
        this.endpoint = HttpTransport.endpoint(base);
        this.region = AwsRequests.region(region);
        this.route = route;
        this.auth = auth;
        this.clock = clock;
        // what the chain signs with later (a refreshed session) is masked too
        this.transport = new HttpTransport(clock, connectTimeout, auth.issued().maskOver(mask), json, base);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    public Route route() {
        return route;
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public Exchange send(MessageRequest request) throws InterruptedException {
        HttpTransport.Post post = route == Route.INVOKE ? invoke(request) : messages(request);
        return AwsRequests.send(transport, auth, post, route.signingName(), region, clock, request, WireProtocol.ANTHROPIC);
    }

    private HttpTransport.Post messages(MessageRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        Map<String, String> own = AwsRequests.suiteHeaders(request);
        ObjectNode body = request.body();
        if (route == Route.MANTLE_MESSAGES) { // Mantle reads the profile from the body only, as the SDK's backend knows
            body = body.deepCopy();
            own = userProfileIntoBody(own, body);
        }
        headers.putAll(own);
        if (!AwsRequests.has(own, "anthropic-version")) {
            headers.put("anthropic-version", AnthropicClient.API_VERSION);
        }
        if (request.stream()) {
            headers.put("accept", "text/event-stream");
        }
        return new HttpTransport.Post(URI.create(endpoint + "/anthropic/v1/messages"), headers,
                AwsRequests.json(json, body));
    }

    /**
     * {@code headers} without {@value #USER_PROFILE_HEADER}, whose values (joined by {@code ", "})
     * become {@code body}'s {@code user_profile_id} unless the body has one: what the SDK's
     * BedrockBackend (InvokeModel) and BedrockMantleBackend do, because neither route reads the header.
     */
    static Map<String, String> userProfileIntoBody(Map<String, String> headers, ObjectNode body) {
        Map<String, String> rest = new LinkedHashMap<>();
        List<String> profiles = new ArrayList<>();
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase(USER_PROFILE_HEADER)) {
                profiles.add(value);
            } else {
                rest.put(name, value);
            }
        });
        if (!profiles.isEmpty() && !body.has("user_profile_id")) {
            body.put("user_profile_id", String.join(", ", profiles));
        }
        return rest;
    }

    private HttpTransport.Post invoke(MessageRequest request) {
        ObjectNode body = request.body().deepCopy();
        body.remove("model");
        body.remove("stream");
        Map<String, String> own = AwsRequests.suiteHeaders(request);
        PlatformBodies.versionIntoBody(own, body, INVOKE_VERSION);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        Set<String> betas = new LinkedHashSet<>();
        if (body.path("anthropic_beta").isArray()) {
            body.get("anthropic_beta").forEach(b -> betas.add(b.asText()));
        }
        for (Map.Entry<String, String> h : userProfileIntoBody(own, body).entrySet()) {
            String name = h.getKey();
            if (name.equalsIgnoreCase("anthropic-beta")) {
                for (String b : h.getValue().split(",")) {
                    if (!b.isBlank()) {
                        betas.add(b.strip());
                    }
                }
            } else if (!name.equalsIgnoreCase("anthropic-version")) { // the body carries the version
                headers.put(name, h.getValue());
            }
        }
        if (!betas.isEmpty()) {
            ArrayNode array = body.putArray("anthropic_beta");
            betas.forEach(array::add);
        }
        if (request.stream()) {
            headers.put("accept", "application/vnd.amazon.eventstream");
            headers.put("x-amzn-bedrock-accept", "application/json");
        } else {
            headers.put("accept", "application/json");
        }
        URI uri = URI.create(endpoint + "/model/" + pathSegment(request.model())
                + (request.stream() ? "/invoke-with-response-stream" : "/invoke"));
        return new HttpTransport.Post(uri, headers, AwsRequests.json(json, body));
    }

    /** {@code id} as one path segment: every byte but A–Z a–z 0–9 {@code - . _ ~} percent-encoded. */
    static String pathSegment(String id) {
        StringBuilder out = new StringBuilder();
        for (byte b : String.valueOf(id).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    /** Null on every route: Bedrock has no Messages count-tokens route this client can use (see the class). */
    @Override
    public Exchange countTokens(MessageRequest request) {
        return null;
    }
}
