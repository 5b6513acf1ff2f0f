package dev.sonde.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
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
 * The HTTP front of the emulator. Order of checks: unknown path → 404, wrong method → 405,
 * missing key → 401, key not accepted → 401 ({@code invalid x-api-key}), missing or malformed
 * {@code anthropic-version} → 400, unreadable body → 400, invalid body → 400, then the answer.
 * Every response carries a {@code request-id} header ({@code req_emu…}, a per-instance counter).
 * Runs each request on its own (virtual) thread and blocks it while pacing. Thread-safe.
 */
final class EmulatorHandler extends Handler.Abstract {
    private static final String SSE_TYPE = "text/event-stream; charset=utf-8";
    private static final String JSON_TYPE = "application/json";
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorHandler.class);

    private final Set<String> acceptedKeys;
    private final Responder responder;
    private final LatencyModel latency;
    private final Models models;
    private final Clock clock;
    private final long configSeed;
    private final Consumer<EmulatorRequest> log;
    private final AtomicLong counter = new AtomicLong();

    EmulatorHandler(EmulatorConfig config, Responder responder, LatencyModel latency, Models models,
                    Consumer<EmulatorRequest> log) {
        this.acceptedKeys = config.acceptedKeys();
        this.responder = responder;
        this.latency = latency;
        this.models = models;
        this.clock = config.clock();
        this.configSeed = config.seed();
        this.log = log;
    }

    long requestCount() {
        return counter.get();
    }

    /**
     * What the handler learns about a request while answering it. {@link #done} enters it in the
     * request log just before the last bytes go out, so a client that has its answer also sees it
     * in the log.
     */
    private final class Trace {
        final String requestId;
        final String method;
        final String path;
        final int retryCount;
        String model;
        boolean stream;
        private boolean logged;

        Trace(String requestId, String method, String path, int retryCount) {
            this.requestId = requestId;
            this.method = method;
            this.path = path;
            this.retryCount = retryCount;
        }

        void done(int status, String errorType) {
            if (!logged) {
                logged = true;
                log.accept(new EmulatorRequest(requestId, method, path, status, errorType, model, stream, retryCount));
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = String.format("req_emu%017d", counter.incrementAndGet());
        response.getHeaders().put("request-id", requestId);
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        Trace trace = new Trace(requestId, method, path,
                parseRetryCount(request.getHeaders().get("x-stainless-retry-count")));
        try {
            route(request, response, trace);
            callback.succeeded();
        } catch (ApiError e) {
            writeError(response, e, trace, callback);
        } catch (IOException e) {
            callback.failed(e);
        } catch (RuntimeException e) {
            LOG.warn("emulator failed on {} {} ({}): {}", method, path, requestId, e.toString());
            writeError(response, new ApiError(500, "api_error", "Internal server error"), trace, callback);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        }
        return true;
    }

    /** Answers one request, or throws the {@link ApiError} to answer with. */
    private void route(Request request, Response response, Trace trace) throws IOException, InterruptedException {
        String method = trace.method;
        String path = trace.path;
        String allowed = switch (path) {
            case "/v1/messages", "/v1/messages/count_tokens" -> "POST";
            case "/v1/models" -> "GET";
            default -> path.startsWith("/v1/models/") && path.length() > "/v1/models/".length() ? "GET" : null;
        };
        if (allowed == null) {
            throw new ApiError(404, "not_found_error", "Not found: " + path);
        }
        if (!allowed.equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            throw new ApiError(405, "invalid_request_error", "Method " + method + " not allowed for " + path);
        }
        authenticate(request);
        String version = request.getHeaders().get("anthropic-version");
        if (version == null || version.isBlank()) {
            throw ApiError.invalid("anthropic-version: header is required");
        }
        try {
            LocalDate.parse(version.trim());
        } catch (DateTimeParseException e) {
            throw ApiError.invalid("anthropic-version: '" + version + "' is not a valid version (expected a date such as 2023-06-01)");
        }
        if (path.equals("/v1/models")) {
            Fields query = Request.extractQueryParameters(request);
            writeJson(response, models.page(query.getValue("limit"), query.getValue("after_id"), query.getValue("before_id")), trace);
            return;
        }
        if (path.startsWith("/v1/models/")) {
            writeJson(response, models.get(path.substring("/v1/models/".length())), trace);
            return;
        }
        JsonNode body = readBody(request);
        trace.model = body.path("model").isTextual() ? body.path("model").asText() : null;
        if (path.equals("/v1/messages/count_tokens")) {
            MessagesRequest parsed = RequestValidator.parse(body, true);
            writeJson(response, Json.object().put("input_tokens", parsed.inputTokens()), trace);
            return;
        }
        MessagesRequest parsed = RequestValidator.parse(body, false);
        trace.stream = parsed.stream();
        Answer answer = responder.answer(parsed);
        LatencyModel.Schedule schedule = latency.schedule(answer, Seeds.forRequest(configSeed, body));
        if (!parsed.stream()) {
            clock.sleepNanos(schedule.totalNanos());
            writeJson(response, Wire.message(answer), trace);
            return;
        }
        List<Wire.Event> events = Wire.events(answer, schedule, trace.requestId);
        String brokenWith = answer.midStreamError() == null ? null : answer.midStreamError().error().type;
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, SSE_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            for (int i = 0; i < events.size(); i++) {
                Wire.Event event = events.get(i);
                if (event.delayNanos() > 0) {
                    clock.sleepNanos(event.delayNanos());
                }
                if (i == events.size() - 1) {
                    trace.done(200, brokenWith);
                }
                out.write(event.bytes());
                out.flush();
            }
        }
    }

    private void authenticate(Request request) {
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
        if (!acceptedKeys.isEmpty() && !acceptedKeys.contains(key.trim())) {
            throw new ApiError(401, "authentication_error", "invalid x-api-key");
        }
    }

    private static JsonNode readBody(Request request) throws IOException {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readAllBytes();
        }
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

    private static void writeJson(Response response, ObjectNode body, Trace trace) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        trace.done(200, null);
        Content.Sink.write(response, true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void writeError(Response response, ApiError error, Trace trace, Callback callback) {
        if (response.isCommitted()) {
            callback.failed(error);
            return;
        }
        trace.done(error.status, error.type);
        response.setStatus(error.status);
        error.headers.forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        byte[] bytes = Wire.errorBody(error, trace.requestId).toString().getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static int parseRetryCount(String header) {
        try {
            return header == null ? 0 : Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
