package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.BedrockIds;
import dev.sonde.metrics.PriceKey;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The cloud platforms' fronts (issue 22; contract in docs/platforms-survey.md and the README's
 * "Platforms on the emulator"): each tells its {@link Route} from the path and authentication,
 * checks the platform's credentials ({@link EmulatorCredentials}: SigV4 by re-signing, API keys,
 * Vertex OAuth tokens), turns the platform's body into a Messages API body (model from the path,
 * {@code anthropic_version} and {@code anthropic_beta} out of the body) and hands it to the one
 * {@link MessagesEndpoint}, so rules, seed, prompt cache, rate limits, faults and recordings
 * answer every platform alike. Thread-safe.
 */
final class Platforms {
    static final String BEDROCK_MESSAGES = "/anthropic/v1/messages";
    static final String BEDROCK_VERSION = "bedrock-2023-05-31";
    static final String VERTEX_VERSION = "vertex-2023-10-16";
    private static final Pattern INVOKE = Pattern.compile("/model/([^/]+)/(invoke|invoke-with-response-stream)");
    /**
     * The model segment may hold {@code :} itself (VertexClient keeps it unescaped, as a path segment
     * allows): the greedy group leaves the method to the segment's last {@code :}.
     */
    private static final Pattern VERTEX = Pattern.compile(
            "/v1/projects/([^/]+)/locations/([^/]+)/publishers/anthropic/models/([^/]+):(rawPredict|streamRawPredict)");


    private final EmulatorCredentials credentials;
    private final Set<String> acceptedKeys;
    private final OAuthTokens tokens;
    private final Clock clock;

    /** A platform request told apart: its route, the model its path names (or null), and whether it counts tokens. */
    record Call(Route route, String pathModel, boolean stream, boolean countTokens) {}

    Platforms(EmulatorConfig config) {
        this.credentials = config.credentials();
        this.acceptedKeys = config.acceptedKeys();
        this.clock = config.credentialClock(); // the clients' wall clock, not one skipped ahead for cache TTLs
        this.tokens = new OAuthTokens(credentials, clock);
    }

    /**
     * The platform call a request is, or null for a first-party one: {@code /v1/messages} (and
     * count_tokens) with SigV4 or a Bearer key plus {@code anthropic-workspace-id} is Claude
     * Platform on AWS; {@code /anthropic/v1/messages} is Bedrock (SigV4 {@code bedrock} or a
     * Bedrock API key), Bedrock Mantle (SigV4 {@code bedrock-mantle}) or else Foundry; {@code
     * /model/{id}/invoke…} is Bedrock's InvokeModel; {@code …/publishers/anthropic/models/{m}:rawPredict}
     * is Vertex AI.
     */
    static Call call(String path, String rawPath, HttpFields headers) {
        String authorization = headers.get("authorization");
        boolean countTokens = path.endsWith("/count_tokens") || path.contains("/count-tokens:");
        if (path.equals(EmulatorHandler.MESSAGES) || path.equals(EmulatorHandler.MESSAGES + "/count_tokens")) {
            boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    && headers.get("x-api-key") == null;
            return SigV4.isSigV4(authorization) || (bearer && headers.get("anthropic-workspace-id") != null)
                    ? new Call(Route.CLAUDE_PLATFORM_AWS, null, false, countTokens) : null;
        }
        if (path.equals(OAuthTokens.PATH)) {
            return new Call(Route.OAUTH, null, false, false);
        }
        if (path.startsWith(BEDROCK_MESSAGES)) {
            Route route = Route.FOUNDRY;
            if (SigV4.isSigV4(authorization)) {
                route = "bedrock-mantle".equals(SigV4.service(authorization)) ? Route.BEDROCK_MANTLE : Route.BEDROCK_RUNTIME;
            } else if (authorization != null && headers.get("x-api-key") == null && headers.get("api-key") == null
                    && (authorization.startsWith("Bearer ABSK") || authorization.startsWith("Bearer bedrock-api-key-"))) {
                route = Route.BEDROCK_RUNTIME;
            }
            return new Call(route, null, false, countTokens);
        }
        Matcher invoke = INVOKE.matcher(rawPath);
        if (invoke.matches()) {
            return new Call(Route.BEDROCK_INVOKE, decode(invoke.group(1)), invoke.group(2).endsWith("stream"), false);
        }
        Matcher vertex = VERTEX.matcher(rawPath);
        if (vertex.matches()) {
            String model = decode(vertex.group(3));
            return new Call(Route.VERTEX, model.equals("count-tokens") ? null : model,
                    vertex.group(4).equals("streamRawPredict"), model.equals("count-tokens"));
        }
        return null;
    }

    /** Answers {@code POST /oauth2/token}: a token, or an OAuth error (thrown). */
    void token(Request request, Response response, Trace trace) throws IOException {
        byte[] form = EmulatorHandler.readBytes(request, OAuthTokens.MAX_FORM_BYTES, trace);
        EmulatorHandler.writeJson(response, tokens.grant(form), trace);
    }

    /**
     * Checks the request's credentials for its route; returns the identity rate limits and the
     * prompt cache key by (an access key id or a key), never logged.
     */
    String authenticate(Call call, Request request, byte[] body) {
        HttpFields headers = request.getHeaders();
        String authorization = headers.get("authorization");
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        switch (call.route()) {
            case BEDROCK_INVOKE, BEDROCK_RUNTIME, BEDROCK_MANTLE, CLAUDE_PLATFORM_AWS -> {
                if (call.route() == Route.CLAUDE_PLATFORM_AWS && blank(headers.get("anthropic-workspace-id"))) {
                    throw new ApiError(400, "ValidationException", "anthropic-workspace-id: header is required");
                }
                if (SigV4.isSigV4(authorization)) {
                    SigV4.Scope scope = SigV4.verify(request.getMethod(), receivedUri(request), headers, body,
                            credentials, clock);
                    String expected = switch (call.route()) {
                        case BEDROCK_MANTLE -> "bedrock-mantle";
                        case CLAUDE_PLATFORM_AWS -> "aws-external-anthropic";
                        default -> "bedrock";
                    };
                    if (!scope.service().equals(expected)) {
                        throw new ApiError(403, "InvalidSignatureException", "Credential should be scoped to correct "
                                + "service: '" + expected + "'.");
                    }
                    return scope.accessKeyId();
                }
                if (bearer == null || bearer.isEmpty()) {
                    throw new ApiError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
                }
                boolean known = call.route() == Route.CLAUDE_PLATFORM_AWS
                        ? acceptedKeys.isEmpty() || acceptedKeys.contains(bearer)
                        : bearer.equals(credentials.bedrockApiKey());
                if (!known) {
                    throw new ApiError(403, "UnrecognizedClientException", "The API key included in the request is invalid.");
                }
                return bearer;
            }
            case FOUNDRY -> {
                String key = !blank(headers.get("x-api-key")) ? headers.get("x-api-key")
                        : !blank(headers.get("api-key")) ? headers.get("api-key") : bearer;
                if (blank(key)) {
                    throw new ApiError(401, "authentication_error", "x-api-key, api-key or Authorization: Bearer is required");
                }
                if (!key.trim().equals(credentials.foundryApiKey())) {
                    throw new ApiError(401, "authentication_error", "invalid key or token");
                }
                return key.trim();
            }
            case VERTEX -> {
                if (bearer == null || !tokens.accepts(bearer)) {
                    throw new ApiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. "
                            + "Expected OAuth 2 access token, login cookie or other valid authentication credential.");
                }
                return bearer;
            }
            default -> throw new IllegalStateException("not a platform route: " + call.route());
        }
    }

    /** The Messages API body of a platform request's body ({@code anthropic-version} header checked where it is sent). */
    static ObjectNode messagesBody(Call call, JsonNode body, Request request) {
        if (!body.isObject()) {
            throw ApiError.invalid("The body must be a JSON object");
        }
        ObjectNode messages = ((ObjectNode) body).deepCopy();
        switch (call.route()) {
            case BEDROCK_INVOKE -> {
                for (String key : new String[] {"model", "stream"}) {
                    if (messages.has(key)) {
                        throw new ApiError(400, "ValidationException", "Malformed input request: extraneous key ["
                                + key + "] is not permitted, please reformat your input and try again.");
                    }
                }
                platformVersion(messages, BEDROCK_VERSION, true);
                JsonNode beta = messages.remove("anthropic_beta");
                if (beta != null && (!beta.isArray() || !allText(beta))) {
                    throw new ApiError(400, "ValidationException", "anthropic_beta: expected an array of strings");
                }
                messages.put("model", call.pathModel()).put("stream", call.stream());
            }
            case VERTEX -> {
                if (!call.countTokens()) {
                    if (messages.has("model")) {
                        throw ApiError.invalid("model: not permitted in the body on Vertex AI (the URL names the model)");
                    }
                    messages.put("model", call.pathModel());
                }
                platformVersion(messages, VERTEX_VERSION, !call.countTokens());
            }
            default -> EmulatorHandler.checkVersion(request);
        }
        JsonNode model = messages.get("model");
        if (model != null && model.isTextual()) {
            messages.put("model", anthropicId(call.route(), model.asText()));
        }
        return messages;
    }

    /**
     * The Anthropic model id a platform's id names ({@code us.anthropic.claude-x-20250929-v1:0} and
     * {@code claude-x@20250929} → {@code claude-x-20250929}), so rules, seeds and limits see one id
     * and the same request gets the same answer on every platform. Foundry deployment names and
     * Claude Platform on AWS ids are kept.
     */
    static String anthropicId(Route route, String model) {
        if (route == null) {
            return model;
        }
        return switch (route) {
            case BEDROCK_INVOKE, BEDROCK_RUNTIME, BEDROCK_MANTLE -> BedrockIds.anthropicId(model); // the one Bedrock id rule
            case VERTEX -> new PriceKey("vertex", null, model).anthropicId(); // the pricing table's own mapping
            default -> model;
        };
    }

    /**
     * Takes {@code anthropic_version} out of the body: the platform's value, or (as the Anthropic
     * SDK 3.16 sends its default there) an Anthropic version date; required when {@code required}.
     */
    private static void platformVersion(ObjectNode body, String platformValue, boolean required) {
        JsonNode version = body.remove("anthropic_version");
        if (version == null && !required) {
            return;
        }
        String text = version == null || !version.isTextual() ? "" : version.asText();
        if (!text.equals(platformValue)) {
            try {
                LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiError.invalid("anthropic_version: " + (version == null ? "is required" : "'" + text
                        + "' is not supported") + " (expected " + platformValue + ")");
            }
        }
    }

    private static URI receivedUri(Request request) {
        String query = request.getHttpURI().getQuery();
        String host = request.getHeaders().get("host");
        return URI.create(request.getHttpURI().getScheme() + "://" + (host == null ? request.getHttpURI().getAuthority() : host)
                + request.getHttpURI().getPath() + (query == null ? "" : "?" + query));
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
