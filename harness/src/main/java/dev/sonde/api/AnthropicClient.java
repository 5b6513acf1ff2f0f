package dev.sonde.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * The Anthropic Messages API over the JDK {@link HttpClient}, with no SDK between the harness and
 * the clock: the request start is read just before the request is handed to the client, response
 * headers and every SSE chunk are timestamped on arrival ({@link ExchangeSubscriber}).
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
    private final String endpoint;
    private final ApiKey apiKey;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param baseUri the API root, e.g. {@code https://api.anthropic.com} (a path prefix is kept)
     */
    public AnthropicClient(URI baseUri, ApiKey apiKey, Clock clock, Duration connectTimeout) {
        String base = baseUri.toString();
        this.endpoint = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.messagesUri = URI.create(endpoint + "/v1/messages");
        this.apiKey = apiKey;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public Exchange send(MessageRequest request) throws InterruptedException {
        byte[] body;
        try {
            body = json.writeValueAsBytes(request.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not serialisable: " + e.getOriginalMessage(), e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(messagesUri)
                // A backstop only: the deadlines are enforced in await(), so a late body is cut as a
                // classified timeout with its partial content instead of the JDK closing the connection.
                .timeout(request.timeouts().total().plusSeconds(2))
                .header("content-type", "application/json")
                .header("x-api-key", apiKey.reveal())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        boolean versionSet = false;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (RESERVED.contains(name)) {
                continue;
            }
            versionSet |= name.equals("anthropic-version");
            builder.header(h.getKey(), h.getValue());
        }
        if (!versionSet) {
            builder.header("anthropic-version", API_VERSION);
        }
        if (request.stream()) {
            builder.header("accept", "text/event-stream");
        }
        HttpRequest httpRequest = builder.build();

        AtomicReference<ExchangeSubscriber> subscriber = new AtomicReference<>();
        long startNanos = clock.nanoTime();
        CompletableFuture<HttpResponse<Exchange>> future = http.sendAsync(httpRequest, info -> {
            ExchangeSubscriber s = new ExchangeSubscriber(info, json, clock, startNanos, request.model());
            subscriber.set(s);
            return s;
        });
        try {
            return await(request, future, subscriber, startNanos);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            ExchangeSubscriber s = subscriber.get();
            ErrorClass cls = classify(e.getCause());
            String msg = describe(e.getCause());
            return s != null ? s.abort(cls == ErrorClass.UNREACHABLE ? ErrorClass.STREAM_BROKEN : cls, msg)
                    : failed(request, cls, msg);
        }
    }

    /**
     * Waits for the exchange, enforcing the three deadlines of {@link Timeouts} on this client's
     * clock: until headers and (for a stream) the first content delta, the first-token limit; after
     * the headers, the idle limit from the last chunk; always the total limit. A deadline that fires
     * cuts the exchange and keeps what arrived, classified by which limit it was.
     */
    private Exchange await(MessageRequest request, CompletableFuture<HttpResponse<Exchange>> future,
            AtomicReference<ExchangeSubscriber> subscriber, long startNanos)
            throws InterruptedException, ExecutionException {
        Timeouts t = request.timeouts();
        long totalAt = startNanos + t.total().toNanos();
        long firstTokenAt = startNanos + t.firstToken().toNanos();
        while (true) {
            ExchangeSubscriber s = subscriber.get();
            boolean waitingForFirst = request.stream() && (s == null || !s.streamHasContent());
            long idleAt = s == null ? Long.MAX_VALUE : s.lastChunkNanos() + t.idle().toNanos();
            long until = Math.min(totalAt, Math.min(idleAt, waitingForFirst ? firstTokenAt : Long.MAX_VALUE));
            long now = clock.nanoTime();
            try {
                return future.get(Math.max(0, until - now), TimeUnit.NANOSECONDS).body();
            } catch (TimeoutException e) {
                now = clock.nanoTime();
                s = subscriber.get();
                ErrorClass fired = null;
                String msg = null;
                if (now >= totalAt) {
                    fired = ErrorClass.TIMEOUT_TOTAL;
                    msg = "no complete response within " + t.total().toMillis() + " ms";
                } else if (request.stream() && (s == null || !s.streamHasContent()) && now >= firstTokenAt) {
                    fired = ErrorClass.TIMEOUT_FIRST_TOKEN;
                    msg = "no first token within " + t.firstToken().toMillis() + " ms";
                } else if (s != null && now >= s.lastChunkNanos() + t.idle().toNanos()) {
                    fired = ErrorClass.TIMEOUT_IDLE;
                    msg = "no bytes for " + t.idle().toMillis() + " ms";
                }
                if (fired == null) {
                    continue; // a chunk moved the idle deadline while we waited
                }
                Exchange partial = s != null ? s.abort(fired, msg) : failed(request, fired, msg);
                future.cancel(true); // after abort: the cancellation's own onError must not win
                return partial;
            }
        }
    }

    private static Exchange failed(MessageRequest request, ErrorClass cls, String message) {
        return new Exchange(0, null, request.model(), java.util.List.of(), null, null,
                dev.sonde.metrics.Usage.NONE, dev.sonde.metrics.Timings.NONE,
                new ApiFailure(cls, 0, null, message));
    }

    private static ErrorClass classify(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return ErrorClass.TIMEOUT_CONNECT;
        }
        if (t instanceof HttpTimeoutException) {
            return ErrorClass.TIMEOUT_TOTAL;
        }
        if (t instanceof ConnectException || t instanceof UnresolvedAddressException || t instanceof SSLException
                || t.getCause() instanceof UnresolvedAddressException) {
            return ErrorClass.UNREACHABLE;
        }
        return t instanceof IOException ? ErrorClass.UNREACHABLE : ErrorClass.PROTOCOL;
    }

    private String describe(Throwable t) {
        String m = t.getMessage();
        String text = t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
        return apiKey.occursIn(text) ? t.getClass().getSimpleName() : text;
    }

    /** Reads {@code error.type}/{@code error.message} of an error body, tolerating non-JSON bodies. */
    static ApiFailure errorFrom(int status, byte[] body, ObjectMapper json) {
        String type = null;
        String message = null;
        try {
            JsonNode error = json.readTree(body).path("error");
            type = error.path("type").asText(null);
            message = error.path("message").asText(null);
        } catch (IOException e) {
            String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
            message = text.isBlank() ? null : text.strip();
        }
        return new ApiFailure(ErrorClass.ofType(type, status), status, type, message);
    }
}
