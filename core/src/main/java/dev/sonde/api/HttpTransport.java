package dev.sonde.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * One HTTP exchange on Jetty's {@link HttpClient}, timed on the injected clock from the wire: the
 * call is read just before the request is handed to the client, the client's request-commit
 * event says when the request is on the wire (the start of TTFB, TTFT and E2E; the call-to-wire
 * time is {@link Timings#dispatchNanos()}), response headers and every body chunk are timestamped
 * on arrival ({@link ExchangeSubscriber}), and the deadlines of {@link Timeouts} are enforced here,
 * from the call. Shared by every provider; the {@link WireProtocol} says how bodies read. Never
 * throws for API or network failures; every exchange it returns has passed its {@link SecretMask},
 * so no key the server echoes reaches a caller. Thread-safe.
 *
 * <p>Why Jetty and not the JDK client: the JDK client never says when the request left, so a
 * timing started at the call carries its ~1–4 ms of set-up; Jetty's commit event fires once the
 * request's bytes are written ({@code bench/truth.sh}, README "Timing truth").
 *
 * <p>The client never queues a request of its own: up to {@link #MAX_CONNECTIONS} connections per
 * host (the caller's concurrency or open-loop schedule bounds how many are in flight, as it did
 * with the JDK client, which has no limit); over HTTP/2, when a server caps the streams of a
 * connection, Jetty opens another connection and {@link StreamCapNotice} says so once. No
 * redirect is followed, no response is decompressed (no {@code accept-encoding} is sent) and no
 * 401 or 407 is answered with credentials: every response reaches the caller as the server sent
 * it. Proxies: the JVM's default {@link ProxySelector} (the {@code http(s).proxyHost} system
 * properties, {@code java.net.useSystemProxies}), asked once for the endpoint, as the JDK client
 * asked it.
 */
final class HttpTransport {
    /**
     * Connections per host: the schema's ceiling on {@code run.concurrency}, so the caller's
     * concurrency (or open-loop schedule) is the bound, never the client's pool (Jetty's default, 64,
     * would queue a 500-stream benchmark step inside the client, unseen).
     */
    static final int MAX_CONNECTIONS = 10_000;
    /** The most bytes of headers a request or a response may carry. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    /** How long a pooled connection may sit idle before the client closes it (ms). */
    private static final long POOL_IDLE_MS = 60_000;

    /** One POST: where it goes, its headers in order (content type included) and its body. */
    record Post(URI uri, Map<String, String> headers, byte[] body) {
        Post {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    private final Clock clock;
    private final HttpClient http;
    private final SecretMask mask;
    private final ObjectMapper json;
    private final StreamCapNotice streamCap;

    /**
     * @param mask every key in use, removed from whatever the server sends before it is returned
     * @param base where every request goes: a plain {@code http://} endpoint (the emulator, a local
     *     gateway) is spoken to in HTTP/1.1 with no TLS set up at all (no trust store read at
     *     start-up); {@code https://} offers HTTP/2 and HTTP/1.1 by ALPN and speaks what the server
     *     chooses
     */
    HttpTransport(Clock clock, Duration connectTimeout, SecretMask mask, ObjectMapper json, URI base) {
        this(clock, connectTimeout, mask, json, base, new SslContextFactory.Client());
    }

    /** @param tls how an {@code https} endpoint is trusted (the JDK's trust store unless a test says otherwise) */
    HttpTransport(Clock clock, Duration connectTimeout, SecretMask mask, ObjectMapper json, URI base,
            SslContextFactory.Client tls) {
        this.clock = clock;
        this.mask = mask;
        this.json = json;
        this.streamCap = new StreamCapNotice(endpoint(base));
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setConnectTimeout(connectTimeout);
        // Jetty's own default sizing (up to 200 threads, 8 kept): what bench/truth.sh measured at the floor
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("sonde-http");
        threads.setDaemon(true); // as the JDK client's: a run that forgets to close never hangs the JVM
        connector.setExecutor(threads);
        connector.setScheduler(new ScheduledExecutorScheduler("sonde-http-timer", true));
        HttpClientTransport transport;
        if ("http".equalsIgnoreCase(base.getScheme())) {
            // never started, never used (no redirect is followed): no trust store is read
            SslContextFactory.Client noTls = new SslContextFactory.Client();
            connector.setSslContextFactory(noTls);
            connector.unmanage(noTls);
            transport = new HttpClientTransportOverHTTP(connector);
        } else {
            connector.setSslContextFactory(tls);
            HTTP2Client h2 = new HTTP2Client(connector);
            // HTTP/1.1 first: what is spoken when the server's TLS selects no protocol by ALPN (an
            // older server); a server that offers h2 chooses it from the two offered
            transport = new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11,
                    new ClientConnectionFactoryOverHTTP2.HTTP2(h2));
        }
        this.http = new HttpClient(transport);
        http.setFollowRedirects(false);
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setIdleTimeout(POOL_IDLE_MS);
        http.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
        http.setMaxRequestsQueuedPerDestination(MAX_CONNECTIONS * 10);
        // bounded, and above anything an API or its CDN sends (Jetty's defaults: 8 KiB of request
        // headers, its parser's own limit for responses)
        http.setMaxRequestHeadersSize(MAX_HEADER_BYTES);
        http.setMaxResponseHeadersSize(MAX_HEADER_BYTES);
        http.setUserAgentField(new HttpField("user-agent", "sonde"));
        http.getContentDecoderFactories().clear();
        proxyFor(base).ifPresent(http.getProxyConfiguration()::addProxy);
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client did not start: " + e.getMessage(), e);
        }
        // registered by start(): a 401 or 407 reaches the caller as sent, a redirect is never followed
        http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        http.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        http.getProtocolHandlers().remove(RedirectProtocolHandler.NAME);
    }

    /** The HTTP proxy the JVM's default selector names for {@code base}, if any (the JDK client used only HTTP proxies too). */
    private static java.util.Optional<HttpProxy> proxyFor(URI base) {
        ProxySelector selector = ProxySelector.getDefault();
        if (selector == null) {
            return java.util.Optional.empty();
        }
        for (Proxy p : selector.select(base)) {
            if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress at) {
                return java.util.Optional.of(new HttpProxy(at.getHostString(), at.getPort()));
            }
        }
        return java.util.Optional.empty();
    }

    StreamCapNotice streamCapNotice() {
        return streamCap;
    }

    /** Shuts the client down: its connections and its threads (no exchange is in flight by then). */
    void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // stopping closes sockets; a failure to close one leaves nothing to recover
        }
    }

    Exchange exchange(Post post, MessageRequest request, WireProtocol protocol) throws InterruptedException {
        // A backstop only: the deadlines are enforced in await(), so a late body is cut as a
        // classified timeout with its partial content instead of the client closing the connection.
        long backstopMillis = request.timeouts().total().plusSeconds(2).toMillis();
        AtomicReference<ExchangeSubscriber> subscriber = new AtomicReference<>();
        CompletableFuture<Exchange> future = new CompletableFuture<>();
        AtomicLong wireNanos = new AtomicLong(Timings.ABSENT);
        boolean loopback = EndpointPolicy.isLoopback(post.uri()); // the only servers whose filler mark is believed
        Request call = http.newRequest(post.uri()).method(HttpMethod.POST)
                .timeout(backstopMillis, TimeUnit.MILLISECONDS)
                .idleTimeout(backstopMillis, TimeUnit.MILLISECONDS);
        call.headers(h -> post.headers().forEach(h::put));
        call.body(new BytesRequestContent(post.headers().getOrDefault("content-type", "application/json"), post.body()));
        Runnable cancel = () -> call.abort(new CancellationException("cut by Sonde"));
        // The commit event: the request is on the wire. Over HTTP/1.1 Jetty writes the head and a
        // body of known length together, so it fires once both are written (for a body larger than
        // the socket buffers, once the server has read most of it: HttpTransportTest); Jetty's
        // contract: "the request headers (and perhaps small content) have been sent".
        call.onRequestCommit(r -> wireNanos.compareAndSet(Timings.ABSENT, clock.nanoTime()));
        call.onResponseHeaders(r -> {
            long headersNanos = clock.nanoTime();
            wireNanos.compareAndSet(Timings.ABSENT, headersNanos); // a response that overtook the commit event
            subscriber.set(new ExchangeSubscriber(r.getStatus(), headers(r.getHeaders()), loopback, protocol, json, clock,
                    wireNanos.get(), headersNanos, request.model(), mask, request.maxResponseBytes(),
                    request.maxOutputTokens(), future, cancel));
            streamCap.responseOn(r.getRequest().getConnection());
        });
        call.onResponseContent((r, chunk) -> {
            ExchangeSubscriber s = subscriber.get();
            if (s != null) {
                s.onNext(chunk);
            }
        });
        long callNanos = clock.nanoTime();
        call.send(result -> {
            ExchangeSubscriber s = subscriber.get();
            if (s == null) {
                future.completeExceptionally(result.getFailure() != null ? result.getFailure()
                        : new IOException("no response"));
            } else if (result.getResponseFailure() != null) {
                s.onError(result.getResponseFailure());
            } else { // a complete response, even if the server stopped reading the request to send it
                s.onComplete();
            }
        });
        try {
            Exchange done = await(request, future, subscriber, callNanos, cancel);
            return mask.mask(dispatched(done, callNanos, wireNanos.get()));
        } catch (InterruptedException e) {
            cancel.run();
            throw e;
        } catch (ExecutionException e) {
            ExchangeSubscriber s = subscriber.get();
            ErrorClass cls = classify(e.getCause());
            if (s != null && (cls == ErrorClass.UNREACHABLE || cls == ErrorClass.CONNECTION_CLOSED)) {
                cls = ErrorClass.STREAM_BROKEN; // once the headers are in, a lost connection breaks the response
            }
            String msg = describe(cls, e.getCause());
            Exchange failed = s != null ? s.abort(cls, msg) : failed(request, cls, msg);
            return mask.mask(dispatched(failed, callNanos, wireNanos.get()));
        }
    }

    /** The exchange with its call-to-wire time, when the request reached the wire. */
    private static Exchange dispatched(Exchange e, long callNanos, long wireNanos) {
        if (wireNanos == Timings.ABSENT || e.timings().unmeasured() != null) {
            return e;
        }
        Timings t = e.timings().withDispatch(Math.max(0, wireNanos - callNanos));
        return new Exchange(e.status(), e.requestId(), e.model(), e.content(), e.stopReason(), e.stopSequence(),
                e.usage(), t, e.failure(), e.hints());
    }

    /** Jetty's response headers as the JDK's type, which {@link ServerHints} reads. */
    private static HttpHeaders headers(org.eclipse.jetty.http.HttpFields fields) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (HttpField f : fields) {
            map.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(f.getValue());
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    /**
     * Waits for the exchange, enforcing the three deadlines of {@link Timeouts} on this client's
     * clock from the call: until a stream's first content delta, the first-token limit; after it
     * (or after a JSON response's headers), the idle limit from the last chunk; always the total
     * limit. A deadline that fires cuts the exchange and keeps what arrived, classified by which
     * limit it was.
     */
    private Exchange await(MessageRequest request, CompletableFuture<Exchange> future,
            AtomicReference<ExchangeSubscriber> subscriber, long startNanos, Runnable cancel)
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
                return future.get(Math.max(0, until - now), TimeUnit.NANOSECONDS);
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
                future.complete(partial);
                cancel.run(); // after abort: the cancellation's own failure must not win
                return partial;
            }
        }
    }

    /** An exchange that failed before any response, with nothing measured. */
    static Exchange failed(MessageRequest request, ErrorClass cls, String message) {
        return new Exchange(0, null, request.model(), java.util.List.of(), null, null,
                Usage.NONE, Timings.NONE,
                new ApiFailure(cls, 0, null, message));
    }

    /**
     * The class of an exchange that failed without a response: {@link ErrorClass#UNREACHABLE} only
     * when no connection was made, so nothing was sent (a refused connection, an unknown host, no
     * route: a {@link ConnectException}, {@link UnknownHostException} or {@link NoRouteToHostException};
     * a failed TLS handshake: an {@link SSLHandshakeException}); any other I/O failure came on a connection that was made, and
     * is {@link ErrorClass#CONNECTION_CLOSED} (an end of stream before the response, a reset, an
     * HTTP/2 stream or connection closed). Jetty's connect timeout is a {@link SocketTimeoutException}
     * "Connect Timeout", its total-timeout backstop a {@link TimeoutException}; the JDK client's
     * equivalents are classified alike.
     */
    static ErrorClass classify(Throwable t) {
        if (t instanceof HttpConnectTimeoutException
                || t instanceof SocketTimeoutException && "Connect Timeout".equalsIgnoreCase(t.getMessage())) {
            return ErrorClass.TIMEOUT_CONNECT;
        }
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
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

    /** One line for a failure without a response: what happened in words, then the client's own account. */
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
            // Jetty's messages can be a whole dump of the connection's state: the start is enough
            // masked before it is cut: a secret split by the cut would no longer be found
            String said = m == null || m.isBlank() ? "" : mask.mask(m).replaceAll("\\s+", " ");
            text.append(c == t ? "" : " <- ").append(c.getClass().getSimpleName())
                    .append(said.isEmpty() ? "" : ": " + (said.length() > 120 ? said.substring(0, 120) + "…" : said));
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
