package dev.sonde.api;

import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;

/**
 * One HTTP exchange on the JDK {@link HttpClient}, timed on the injected clock: the start is read
 * just before the request is handed to the client, response headers and every body chunk are
 * timestamped on arrival ({@link ExchangeSubscriber}), and the deadlines of {@link Timeouts} are
 * enforced here. Shared by every provider; the {@link WireProtocol} says how bodies read. Never
 * throws for API or network failures; every exchange it returns has passed its {@link SecretMask},
 * so no key the server echoes reaches a caller. Thread-safe.
 */
final class HttpTransport {
    private final Clock clock;
    private final HttpClient http;
    private final SecretMask mask;
    private final ObjectMapper json;

    /**
     * @param mask every key in use, removed from whatever the server sends before it is returned
     * @param base where every request goes: a plain {@code http://} endpoint (the emulator, a local
     *     gateway) is spoken to in HTTP/1.1 with no TLS set up at all (no h2c upgrade offered on each
     *     new connection, no trust store read at start-up: ~50 ms); {@code https://} negotiates HTTP/2
     */
    HttpTransport(Clock clock, Duration connectTimeout, SecretMask mask, ObjectMapper json, URI base) {
        this.clock = clock;
        this.mask = mask;
        this.json = json;
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor());
        if ("http".equalsIgnoreCase(base.getScheme())) {
            http.version(HttpClient.Version.HTTP_1_1).sslContext(noTls());
        }
        this.http = http.build();
    }

    /**
     * A TLS context that trusts nobody, for clients that only speak plain HTTP: the JDK's client
     * wants one, and its default reads the whole trust store. A redirect is never followed, so no
     * request leaves for an {@code https} host; if one did, its handshake would fail.
     */
    private static SSLContext noTls() {
        try {
            SSLContext none = SSLContext.getInstance("TLS");
            none.init(new KeyManager[0], new TrustManager[0], null);
            return none;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has TLS", e);
        }
    }

    /** Shuts the client down: its connections and its selector thread (no exchange is in flight by then). */
    void close() {
        http.shutdownNow();
    }

    Exchange exchange(HttpRequest.Builder builder, MessageRequest request, WireProtocol protocol)
            throws InterruptedException {
        // A backstop only: the deadlines are enforced in await(), so a late body is cut as a
        // classified timeout with its partial content instead of the JDK closing the connection.
        HttpRequest httpRequest = builder.timeout(request.timeouts().total().plusSeconds(2)).build();

        AtomicReference<ExchangeSubscriber> subscriber = new AtomicReference<>();
        long startNanos = clock.nanoTime();
        CompletableFuture<HttpResponse<Exchange>> future = http.sendAsync(httpRequest, info -> {
            ExchangeSubscriber s = new ExchangeSubscriber(info, protocol, json, clock, startNanos, request.model(), mask,
                    request.maxResponseBytes(), request.maxOutputTokens());
            subscriber.set(s);
            return s;
        });
        try {
            return mask.mask(await(request, future, subscriber, startNanos));
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            ExchangeSubscriber s = subscriber.get();
            ErrorClass cls = classify(e.getCause());
            if (s != null && (cls == ErrorClass.UNREACHABLE || cls == ErrorClass.CONNECTION_CLOSED)) {
                cls = ErrorClass.STREAM_BROKEN; // once the headers are in, a lost connection breaks the response
            }
            String msg = describe(cls, e.getCause());
            return mask.mask(s != null ? s.abort(cls, msg) : failed(request, cls, msg));
        }
    }

    /**
     * Waits for the exchange, enforcing the three deadlines of {@link Timeouts} on this client's
     * clock: until a stream's first content delta, the first-token limit; after it (or after a JSON
     * response's headers), the idle limit from the last chunk; always the total limit. A deadline that fires
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
            long now = clock.nanoTime();
            // Until the first token of a stream only the first-token limit applies (the API sends
            // message_start at once, then thinks); after it, or after a JSON response's headers, the
            // idle limit does. Before any headers, wake up every idle period to notice them.
            long idleAt = s == null ? now + t.idle().toNanos()
                    : waitingForFirst ? Long.MAX_VALUE : s.lastChunkNanos() + t.idle().toNanos();
            long until = Math.min(totalAt, Math.min(idleAt, waitingForFirst ? firstTokenAt : Long.MAX_VALUE));
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
                } else if (s != null && !(request.stream() && !s.streamHasContent())
                        && now >= s.lastChunkNanos() + t.idle().toNanos()) {
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
                Usage.NONE, Timings.NONE,
                new ApiFailure(cls, 0, null, message));
    }

    /**
     * The class of an exchange that failed without a response: {@link ErrorClass#UNREACHABLE} only
     * when no connection was made, so nothing was sent (the JDK reports a refused connection, an
     * unresolved host and no route as a {@link ConnectException}; a failed TLS handshake as an
     * {@link SSLHandshakeException}); any other I/O failure came on a connection that was made, and
     * is {@link ErrorClass#CONNECTION_CLOSED} (the JDK's "header parser received no bytes", a reset,
     * an HTTP/2 stream or connection closed).
     */
    static ErrorClass classify(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return ErrorClass.TIMEOUT_CONNECT;
        }
        if (t instanceof HttpTimeoutException) {
            return ErrorClass.TIMEOUT_TOTAL;
        }
        if (neverConnected(t)) {
            return ErrorClass.UNREACHABLE;
        }
        return t instanceof IOException ? ErrorClass.CONNECTION_CLOSED : ErrorClass.PROTOCOL;
    }

    private static boolean neverConnected(Throwable t) {
        return inChain(t, ConnectException.class, UnresolvedAddressException.class, UnknownHostException.class,
                NoRouteToHostException.class, SSLHandshakeException.class);
    }

    /** Whether {@code t} or any of its causes is one of {@code types}. */
    private static boolean inChain(Throwable t, Class<?>... types) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<?> type : types) {
                if (type.isInstance(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One line for a failure without a response: what happened in words, then the JDK's own account. */
    private String describe(ErrorClass cls, Throwable t) {
        String what = switch (cls) {
            case UNREACHABLE -> inChain(t, UnresolvedAddressException.class, UnknownHostException.class)
                    ? "host not found (DNS): " : "no connection could be made: ";
            case CONNECTION_CLOSED -> "connection closed before any response: ";
            case STREAM_BROKEN -> "connection lost after the response headers: ";
            default -> "";
        };
        StringBuilder text = new StringBuilder(what);
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            text.append(c == t ? "" : " <- ").append(c.getClass().getSimpleName())
                    .append(m == null || m.isBlank() ? "" : ": " + m.replaceAll("\\s+", " "));
            if (text.length() > 300) {
                break;
            }
        }
        return mask.mask(text.toString());
    }

    /** A base URL as Sonde names it: without a trailing slash (a path prefix is kept). */
    static String endpoint(java.net.URI baseUri) {
        String base = baseUri.toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /**
     * {@code error.type} and {@code error.message} of an error body — the same shape for the
     * Messages API and OpenAI-compatible gateways — or, for a body that is not JSON (a proxy's 413
     * page), null and its first 200 characters.
     */
    static String[] errorBody(byte[] body, ObjectMapper json) {
        try {
            com.fasterxml.jackson.databind.JsonNode error = json.readTree(body).path("error");
            return new String[] {error.path("type").asText(null), error.path("message").asText(null)};
        } catch (IOException e) {
            String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
            return new String[] {null, text.isBlank() ? null : text.strip()};
        }
    }
}
