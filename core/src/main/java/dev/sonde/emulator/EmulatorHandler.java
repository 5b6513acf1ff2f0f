package dev.sonde.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import dev.sonde.metrics.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front of the emulator. Order of checks: unknown path → 404, wrong method → 405, a POST
 * body declared larger than the API takes → 413 {@code request_too_large} (before anything else,
 * as the API's front does), missing key → 401, key not accepted → 401 ({@code invalid x-api-key}),
 * missing or malformed {@code anthropic-version} → 400 (not asked of {@code /v1/chat/completions},
 * whose clients are OpenAI SDKs), a body that turns out larger than the limit as it is read → 413
 * (never more than the limit is held; the body need not be JSON), unreadable body → 400, invalid
 * body → 400, then the endpoint (a model's context window and output limit, {@link ModelLimit},
 * are checked there, with the rest of the request). Every response
 * carries a {@code request-id} header ({@code req_emu…}, a per-instance counter); chat-completions
 * errors use the OpenAI error shape. A cloud platform's request ({@link Platforms}: told by path and
 * authentication, first) is checked in its own order (method, size, credentials, body) and its
 * errors take the platform's shape (AWS's {@code x-amzn-ErrorType} + {@code {"message":…}}, Google's
 * 401, OAuth's token errors); Foundry's answers drop the {@code anthropic-ratelimit-*} headers.
 * Runs each request on its own (virtual) thread and blocks it while pacing. Thread-safe.
 */
final class EmulatorHandler extends Handler.Abstract {
    static final String MESSAGES = "/v1/messages";
    static final String BATCHES = "/v1/messages/batches";
    static final String CHAT = "/v1/chat/completions";
    /** The largest request body of every POST but a batch's (API-SPEC §5.2: Messages and count_tokens 32 MB). */
    static final int MAX_BODY_BYTES = 32 << 20;
    /** The largest body of {@code POST /v1/messages/batches} (API-SPEC §5.2 and §10: 256 MB). */
    static final int MAX_BATCH_BODY_BYTES = 256 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorHandler.class);

    private final Set<String> acceptedKeys;
    private final Platforms platforms;
    private final MessagesEndpoint messages;
    private final Batches batches;
    private final ChatCompletions chat;
    private final Models models;
    private final Consumer<EmulatorRequest> log;
    private final Clock clock;
    private final TraceLog timings;
    private final AtomicLong counter = new AtomicLong();

    EmulatorHandler(EmulatorConfig config, MessagesEndpoint messages, Batches batches, ChatCompletions chat, Models models,
                    Consumer<EmulatorRequest> log, TraceLog timings) {
        this.clock = config.clock();
        this.timings = timings;
        this.acceptedKeys = config.acceptedKeys();
        this.platforms = new Platforms(config);
        this.messages = messages;
        this.batches = batches;
        this.chat = chat;
        this.models = models;
        this.log = log;
    }

    long requestCount() {
        return counter.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = String.format("req_emu%017d", counter.incrementAndGet());
        response.getHeaders().put("request-id", requestId);
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        Trace trace = new Trace(requestId, method, path,
                parseRetryCount(request.getHeaders().get("x-stainless-retry-count")), log, clock, timings);
        try {
            route(request, response, trace);
            trace.finished();
            callback.succeeded();
        } catch (ApiError e) {
            writeError(response, e, trace, callback);
        } catch (IOException e) {
            trace.finished();
            callback.failed(e);
        } catch (RuntimeException e) {
            LOG.warn("emulator failed on {} {} ({}): {}", method, path, requestId, e.toString());
            writeError(response, new ApiError(500, "api_error", "Internal server error"), trace, callback);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            trace.finished();
            callback.failed(e);
        }
        return true;
    }

    /** The methods a path accepts, or null for an unknown path. */
    private static String allowed(String path) {
        return switch (path) {
            case MESSAGES, "/v1/messages/count_tokens", CHAT -> "POST";
            case "/v1/models" -> "GET";
            case BATCHES -> "GET, POST";
            default -> {
                if (path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()) {
                    yield "GET";
                }
                if (path.startsWith(BATCHES + "/")) {
                    yield path.endsWith("/cancel") ? "POST" : path.endsWith("/results") ? "GET" : "GET, DELETE";
                }
                yield null;
            }
        };
    }

    /** Answers one request, or throws the {@link ApiError} to answer with. */
    private void route(Request request, Response response, Trace trace) throws IOException, InterruptedException {
        String method = trace.method;
        String path = trace.path;
        Platforms.Call call = Platforms.call(path, request.getHttpURI().getPath(), request.getHeaders());
        if (call != null) {
            trace.route = call.route();
            platform(request, response, trace, call);
            return;
        }
        String allowed = allowed(path);
        if (allowed == null) {
            throw new ApiError(404, "not_found_error", "Not found: " + path);
        }
        if (!allowed.contains(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            throw new ApiError(405, "invalid_request_error", "Method " + method + " not allowed for " + path);
        }
        int maxBody = path.equals(BATCHES) ? MAX_BATCH_BODY_BYTES : MAX_BODY_BYTES;
        if (request.getLength() > maxBody) {
            throw tooLarge(maxBody);
        }
        String apiKey = authenticate(request);
        if (path.equals(CHAT)) {
            JsonNode body = readBody(request, maxBody, trace);
            trace.model = body.path("model").isTextual() ? body.path("model").asText() : null;
            chat.handle(request, response, trace, apiKey, body);
            return;
        }
        checkVersion(request);
        if (path.equals("/v1/models")) {
            Fields query = Request.extractQueryParameters(request);
            writeJson(response, models.page(query.getValue("limit"), query.getValue("after_id"), query.getValue("before_id")), trace);
            return;
        }
        if (path.startsWith("/v1/models/")) {
            writeJson(response, models.get(path.substring("/v1/models/".length())), trace);
            return;
        }
        if (path.startsWith(BATCHES)) {
            Fields query = Request.extractQueryParameters(request);
            JsonNode body = method.equals("POST") && path.equals(BATCHES) ? readBody(request, maxBody, trace) : null;
            Batches.Reply reply = batches.handle(method, path, query, body, apiKey, baseUri(request));
            if (reply.jsonl() != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-jsonl");
                trace.done(200, null);
                Content.Sink.write(response, true, ByteBuffer.wrap(reply.jsonl().getBytes(StandardCharsets.UTF_8)));
            } else {
                writeJson(response, reply.json(), trace);
            }
            return;
        }
        JsonNode body = readBody(request, maxBody, trace);
        trace.model = body.path("model").isTextual() ? body.path("model").asText() : null;
        if (path.equals("/v1/messages/count_tokens")) {
            countTokens(response, trace, body);
            return;
        }
        messages.handle(request, response, trace, apiKey, body);
    }

    /** Answers a cloud platform's request ({@link Platforms}) through the same Messages pipeline. */
    private void platform(Request request, Response response, Trace trace, Platforms.Call call)
            throws IOException, InterruptedException {
        if (!trace.method.equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            throw new ApiError(405, "invalid_request_error", "Method " + trace.method + " not allowed for " + trace.path);
        }
        if (call.route() == Route.OAUTH) {
            platforms.token(request, response, trace);
            return;
        }
        if (request.getLength() > MAX_BODY_BYTES) {
            throw tooLarge(MAX_BODY_BYTES);
        }
        byte[] bytes = readBytes(request, MAX_BODY_BYTES, trace);
        String identity = platforms.authenticate(call, request, bytes);
        JsonNode sent = parse(bytes);
        ObjectNode body = Platforms.messagesBody(call, sent, request); // a copy: sent stays as sent
        trace.model = body.path("model").isTextual() ? body.path("model").asText() : null;
        if (call.countTokens()) {
            countTokens(response, trace, body);
            return;
        }
        messages.handle(request, response, trace, identity, body, sent);
    }

    private void countTokens(Response response, Trace trace, JsonNode body) throws IOException {
        MessagesRequest parsed = RequestValidator.parse(body, true);
        PromptCache.breakpoints(parsed);
        models.limitsOf(parsed.model()).check(parsed); // the API refuses to count a prompt past the window
        writeJson(response, Json.object().put("input_tokens", parsed.inputTokens()), trace);
    }

    private static String baseUri(Request request) {
        return request.getHttpURI().getScheme() + "://" + request.getHttpURI().getAuthority();
    }

    static void checkVersion(Request request) {
        String version = request.getHeaders().get("anthropic-version");
        if (version == null || version.isBlank()) {
            throw ApiError.invalid("anthropic-version: header is required");
        }
        try {
            LocalDate.parse(version.trim());
        } catch (DateTimeParseException e) {
            throw ApiError.invalid("anthropic-version: '" + version + "' is not a valid version (expected a date such as 2023-06-01)");
        }
    }

    /** The request's API key ({@code x-api-key} or {@code Authorization: Bearer}), checked. */
    private String authenticate(Request request) {
        String key = request.getHeaders().get("x-api-key");
        if (key == null || key.isBlank()) {
            String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = authorization.substring(7).trim();
            }
        }
        if (key == null || key.isBlank()) {
            throw new ApiError(401, "authentication_error", "x-api-key header is required");
        }
        key = key.trim();
        if (!acceptedKeys.isEmpty() && !acceptedKeys.contains(key)) {
            throw new ApiError(401, "authentication_error", "invalid x-api-key");
        }
        return key;
    }

    /** The 413 the API's front answers with; its body may be anything, the emulator's is the API's error shape. */
    private static ApiError tooLarge(int maxBody) {
        return new ApiError(413, "request_too_large", "Request exceeds the maximum allowed number of bytes ("
                + maxBody + ").");
    }

    /** The body, read no further than {@code maxBody} bytes (one more byte decides that it is too large). */
    static JsonNode readBody(Request request, int maxBody, Trace trace) throws IOException {
        return parse(readBytes(request, maxBody, trace));
    }

    /** The body's bytes, read no further than {@code maxBody} bytes (one more decides that it is too large). */
    static byte[] readBytes(Request request, int maxBody, Trace trace) throws IOException {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(maxBody + 1);
        }
        trace.bodyRead();
        if (bytes.length > maxBody) {
            throw tooLarge(maxBody);
        }
        return bytes;
    }

    private static JsonNode parse(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw ApiError.invalid("There was an error parsing the body of your request: the body is empty. "
                    + "Please send a JSON object.");
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid("There was an error parsing the body of your request, please check that it is valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    static void writeJson(Response response, ObjectNode body, Trace trace) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Delivery.JSON_TYPE);
        trace.done(200, null);
        Content.Sink.write(response, true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void writeError(Response response, ApiError error, Trace trace, Callback callback) {
        if (response.isCommitted()) {
            trace.finished();
            callback.failed(error);
            return;
        }
        Route route = trace.route;
        int status = route.aws ? BedrockWire.httpStatus(error) : error.status;
        trace.done(status, error.type);
        response.setStatus(status);
        error.headers.forEach((name, value) -> {
            if (route != Route.FOUNDRY || !name.startsWith(MessagesEndpoint.RATE_LIMIT_PREFIX)) {
                response.getHeaders().put(name, value);
            }
        });
        if (route == Route.FOUNDRY) {
            MessagesEndpoint.dropRateLimitHeaders(response);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Delivery.JSON_TYPE);
        ObjectNode body;
        if (route.aws) {
            response.getHeaders().put(BedrockWire.ERROR_TYPE_HEADER, BedrockWire.httpErrorType(error));
            body = Json.object().put("message", error.getMessage());
        } else if (route == Route.OAUTH) {
            body = Json.object().put("error", error.type).put("error_description", error.getMessage());
        } else if (route == Route.VERTEX && error.status == 401) {
            body = Json.object();
            body.putObject("error").put("code", 401).put("message", error.getMessage()).put("status", "UNAUTHENTICATED");
        } else {
            body = trace.path.equals(CHAT) ? ChatCompletions.errorBody(error) : Wire.errorBody(error, trace.requestId);
        }
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), Callback.from(() -> {
            trace.finished();
            callback.succeeded();
        }, failure -> {
            trace.finished();
            callback.failed(failure);
        }));
    }

    private static int parseRetryCount(String header) {
        try {
            return header == null ? 0 : Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
