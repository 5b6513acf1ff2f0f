package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.testing.StubServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.Test;

/**
 * The transport's clock starts when the request is on the wire (the client's commit event), with
 * the time before it apart as dispatch; HTTPS negotiates HTTP/2 by ALPN, falls back to HTTP/1.1,
 * and opens more connections when a server caps the streams of one (and says so). The TLS servers
 * are loopback Jetty servers with a self-signed certificate ({@code loopback-tls.p12}, test only).
 */
class HttpTransportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApiKey KEY = ApiKey.of("sk-test-transport-123456");
    private static final String STORE = "dev/sonde/api/loopback-tls.p12";

    private static MessageRequest request(String prompt) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "claude-sonnet-4-6").put("max_tokens", 16).put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        return new MessageRequest(body, Map.of(), Duration.ofSeconds(10));
    }

    private static Exchange send(HttpTransport transport, URI base, MessageRequest request) throws Exception {
        byte[] body = JSON.writeValueAsBytes(request.body());
        return transport.exchange(new HttpTransport.Post(URI.create(base + "/v1/messages"),
                Map.of("content-type", "application/json", "x-api-key", KEY.reveal()), body), request,
                WireProtocol.ANTHROPIC);
    }

    @Test
    void the_clock_starts_when_the_request_is_on_the_wire_and_the_time_before_it_is_dispatch() throws Exception {
        // a 16 MB request to a server that reads nothing for 400 ms: the client cannot finish writing
        // it until the server reads, then the server answers at once
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    Thread.sleep(400);
                    readRequest(s.getInputStream());
                    answerStream(s.getOutputStream());
                } catch (Exception e) {
                    // the test fails on the client's side
                }
            });
            URI base = URI.create("http://127.0.0.1:" + server.getLocalPort());
            HttpTransport transport = new HttpTransport(Clock.system(), Duration.ofSeconds(2), SecretMask.of(KEY), JSON,
                    base);
            try {
                Exchange ex = send(transport, base, request("x".repeat(16 << 20)));

                assertThat(ex.ok()).as(String.valueOf(ex.failure())).isTrue();
                assertThat(ex.text()).isEqualTo("Paris");
                assertThat(ex.timings().dispatchNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(350).toNanos());
                // measured from the call, the first token would be 400 ms and more
                assertThat(ex.timings().ttftNanos()).isPositive().isLessThan(Duration.ofMillis(300).toNanos());
                assertThat(ex.timings().ttfbNanos()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(ex.timings().ttftNanos());
                assertThat(ex.timings().e2eNanos()).isGreaterThanOrEqualTo(ex.timings().ttftNanos());
                assertThat(TimingsMillis.of(ex.timings(), 2).dispatchMs()).isGreaterThanOrEqualTo(350.0);
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void a_small_request_has_a_dispatch_time_and_a_failure_before_the_wire_has_none() throws Exception {
        try (StubServer server = StubServer.start(StubServer.messagesStream(0))) {
            HttpTransport transport = new HttpTransport(Clock.system(), Duration.ofSeconds(2), SecretMask.of(KEY), JSON,
                    server.baseUri());
            try {
                Exchange ex = send(transport, server.baseUri(), request("hi"));
                assertThat(ex.ok()).isTrue();
                assertThat(ex.timings().dispatchNanos()).isGreaterThanOrEqualTo(0);
                assertThat(ex.timings().ttftNanos()).isGreaterThanOrEqualTo(ex.timings().ttfbNanos());
            } finally {
                transport.close();
            }
        }
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        URI nothing = URI.create("http://127.0.0.1:" + refused);
        HttpTransport transport = new HttpTransport(Clock.system(), Duration.ofSeconds(2), SecretMask.of(KEY), JSON,
                nothing);
        try {
            Exchange ex = send(transport, nothing, request("hi"));
            assertThat(ex.failure().errorClass()).isEqualTo(ErrorClass.UNREACHABLE);
            assertThat(ex.timings().dispatchNanos()).isEqualTo(-1);
        } finally {
            transport.close();
        }
    }

    @Test
    void headers_of_tens_of_kilobytes_pass_both_ways_and_a_response_past_the_bound_is_never_an_answer()
            throws Exception {
        // a server answering each connection with a response header as long as asked: 40 KB, then 80 KB
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                for (int size : new int[] {40_000, 80_000}) {
                    try (Socket s = server.accept()) {
                        readRequest(s.getInputStream());
                        answerStream(s.getOutputStream(), "x-cdn-trace: " + "t".repeat(size) + "\r\n");
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            URI base = URI.create("http://127.0.0.1:" + server.getLocalPort());
            HttpTransport transport = new HttpTransport(Clock.system(), Duration.ofSeconds(2), SecretMask.of(KEY), JSON,
                    base);
            try {
                MessageRequest request = request("hi");
                byte[] body = JSON.writeValueAsBytes(request.body());
                HttpTransport.Post post = new HttpTransport.Post(URI.create(base + "/v1/messages"),
                        Map.of("content-type", "application/json", "x-big", "b".repeat(20_000)), body);
                Exchange ok = transport.exchange(post, request, WireProtocol.ANTHROPIC);
                assertThat(ok.ok()).as(String.valueOf(ok.failure())).isTrue();
                assertThat(ok.text()).isEqualTo("Paris");

                // 80 KB of response headers, past the 64 KiB bound: never an answer; Jetty's parser fails it
                // at once or, when the head arrives in pieces, waits, and the deadline cuts it
                MessageRequest brief = new MessageRequest(request.body(), Map.of(), Duration.ofSeconds(2));
                Exchange tooBig = transport.exchange(post, brief, WireProtocol.ANTHROPIC);
                assertThat(tooBig.ok()).isFalse();
                assertThat(tooBig.failure().errorClass()).isIn(ErrorClass.CONNECTION_CLOSED, ErrorClass.PROTOCOL,
                        ErrorClass.TIMEOUT_TOTAL, ErrorClass.TIMEOUT_FIRST_TOKEN);
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void more_streams_than_jettys_default_pool_never_wait_in_the_client() throws Exception {
        // 80 requests at once, each held 800 ms by the server: with Jetty's default of 64 connections
        // per host, 16 would wait in the client for a free one, and their dispatch would pass 800 ms.
        // The server's accept queue is deep enough that no connection waits in the kernel either.
        int streams = 80;
        try (ServerSocket server = new ServerSocket(0, 4 * streams, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                readRequest(s.getInputStream());
                                Thread.sleep(800);
                                answerStream(s.getOutputStream());
                            } catch (Exception e) {
                                // the client went away
                            }
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            URI base = URI.create("http://127.0.0.1:" + server.getLocalPort());
            HttpTransport transport = new HttpTransport(Clock.system(), Duration.ofSeconds(5), SecretMask.of(KEY), JSON,
                    base);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Exchange>> sent = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    sent.add(pool.submit(() -> send(transport, base, request("hi"))));
                }
                long slowestDispatch = 0;
                for (Future<Exchange> f : sent) {
                    Exchange ex = f.get();
                    assertThat(ex.ok()).as(String.valueOf(ex.failure())).isTrue();
                    slowestDispatch = Math.max(slowestDispatch, ex.timings().dispatchNanos());
                }
                assertThat(slowestDispatch).isLessThan(Duration.ofMillis(700).toNanos());
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void https_negotiates_http2_by_alpn_and_a_server_that_speaks_only_http1_gets_http1() throws Exception {
        for (boolean h2 : new boolean[] {true, false}) {
            try (TlsServer server = new TlsServer(h2, 0, 0)) {
                HttpTransport transport = server.client();
                try {
                    Exchange ex = send(transport, server.baseUri(), request("hi"));
                    assertThat(ex.ok()).as(String.valueOf(ex.failure())).isTrue();
                    assertThat(ex.text()).isEqualTo("Paris");
                    assertThat(ex.timings().dispatchNanos()).isGreaterThanOrEqualTo(0);
                    assertThat(server.versions).containsExactly(h2 ? "HTTP/2.0" : "HTTP/1.1");
                } finally {
                    transport.close();
                }
            }
        }
    }

    @Test
    void an_http2_server_that_caps_streams_per_connection_gets_more_connections_and_it_is_said_once()
            throws Exception {
        try (TlsServer server = new TlsServer(true, 1, 300)) {
            HttpTransport transport = server.client();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Exchange>> sent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    sent.add(pool.submit(() -> send(transport, server.baseUri(), request("hi"))));
                }
                for (Future<Exchange> f : sent) {
                    Exchange ex = f.get();
                    assertThat(ex.ok()).as(String.valueOf(ex.failure())).isTrue();
                }
                assertThat(server.versions).containsOnly("HTTP/2.0").hasSize(3);
                // all three at once, one stream per connection: none waited in the client for another
                assertThat(server.connections).hasSize(3);
                assertThat(transport.streamCapNotice().said()).isTrue();
            } finally {
                transport.close();
            }
        }
    }

    /** A loopback Jetty server over TLS offering HTTP/2 and HTTP/1.1 by ALPN, or HTTP/1.1 only. */
    private static final class TlsServer implements AutoCloseable {
        final List<String> versions = new CopyOnWriteArrayList<>();
        final Set<String> connections = ConcurrentHashMap.newKeySet();
        private final Server server = new Server(new VirtualThreadPool());
        private final ServerConnector connector;

        /** @param maxStreams the HTTP/2 cap on concurrent streams per connection, 0 for Jetty's default */
        TlsServer(boolean h2, int maxStreams, long holdMillis) throws Exception {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStoreResource(org.eclipse.jetty.util.resource.ResourceFactory.of(server)
                    .newClassLoaderResource(STORE));
            tls.setKeyStorePassword("loopback");
            tls.setKeyStoreType("PKCS12");
            HttpConfiguration config = new HttpConfiguration();
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            config.addCustomizer(secure);
            HttpConnectionFactory http1 = new HttpConnectionFactory(config);
            if (h2) {
                HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(config);
                if (maxStreams > 0) {
                    http2.setMaxConcurrentStreams(maxStreams);
                }
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
                alpn.setDefaultProtocol("http/1.1");
                connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, http2,
                        http1);
            } else {
                connector = new ServerConnector(server, new SslConnectionFactory(tls, http1.getProtocol()), http1);
            }
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    versions.add(request.getConnectionMetaData().getHttpVersion().asString());
                    connections.add(request.getConnectionMetaData().getId());
                    Content.Source.asString(request, StandardCharsets.UTF_8);
                    Thread.sleep(holdMillis);
                    try (OutputStream out = Content.Sink.asOutputStream(response)) {
                        StubServer.messagesStream(0).answer(null, response, out);
                    }
                    callback.succeeded();
                    return true;
                }
            });
            server.start();
        }

        URI baseUri() {
            return URI.create("https://127.0.0.1:" + connector.getLocalPort());
        }

        /** A transport trusting this server's certificate only. */
        HttpTransport client() {
            SslContextFactory.Client trust = new SslContextFactory.Client();
            trust.setTrustStoreResource(org.eclipse.jetty.util.resource.ResourceFactory.of(server)
                    .newClassLoaderResource(STORE));
            trust.setTrustStorePassword("loopback");
            trust.setTrustStoreType("PKCS12");
            return new HttpTransport(Clock.system(), Duration.ofSeconds(2), SecretMask.of(KEY), JSON, baseUri(), trust);
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }

    /** Reads one request's headers and its body (by content-length). */
    private static void readRequest(InputStream in) throws IOException {
        dev.sonde.testing.HangUpServer.readRequest(in);
    }

    /** A whole Messages stream saying "Paris", then the connection closes. */
    private static void answerStream(OutputStream out) throws Exception {
        answerStream(out, "");
    }

    /** The same, with {@code extraHeaders} (each ending in CRLF) in its head. */
    private static void answerStream(OutputStream out, String extraHeaders) throws Exception {
        StubServer.write(out, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n"
                + extraHeaders + "\r\n");
        StubServer.sse(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_r\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
        StubServer.sse(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        StubServer.sse(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Paris\"}}");
        StubServer.sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        StubServer.sse(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":2}}");
        StubServer.sse(out, "message_stop", "{\"type\":\"message_stop\"}");
    }
}
