package dev.sonde.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * A loopback AWS endpoint for the AWS providers' tests (the JDK's server: it keeps the raw path a
 * signature covers), with the server side of SigV4 (re-signing what arrived at its
 * {@code x-amz-date}, docs/platforms-survey.md §3) and event-stream frames made by the AWS SDK.
 */
final class AwsStub implements AutoCloseable {
    /** The emulator's fixed test credentials (contract). */
    static final String ACCESS_KEY_ID = "AKIASONDEEMULATOR000";
    static final String SECRET = "sonde-emulator-test-secret";
    static final String SESSION_TOKEN = "FAKE-session-token-for-sonde-tests-0123456789";

    /** What one request carried: the raw path, lower-case header names, the body's bytes. */
    record Received(String rawPath, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends the answer: {@code respond(status, headers, length)} then writes the body. */
    interface Script {
        void answer(Received request, Answer answer) throws Exception;
    }

    /** The response being written. */
    static final class Answer {
        private final com.sun.net.httpserver.HttpExchange exchange;
        private OutputStream out;

        Answer(com.sun.net.httpserver.HttpExchange exchange) {
            this.exchange = exchange;
        }

        /** Starts a chunked response. */
        Answer start(int status, Map<String, String> headers) throws IOException {
            headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(status, 0);
            out = exchange.getResponseBody();
            return this;
        }

        /** Writes and flushes {@code bytes} as one chunk. */
        Answer write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        Answer write(String text) throws IOException {
            return write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    AwsStub(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            Received r = new Received(ex.getRequestURI().getRawPath(), Map.copyOf(headers),
                    ex.getRequestBody().readAllBytes());
            received.add(r);
            try {
                script.answer(r, new Answer(ex));
            } catch (Exception e) {
                // a script that hangs up on purpose
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * Whether {@code r}'s SigV4 signature is the one {@code secret} (and {@code sessionToken}, or
     * null) makes for {@code body}: the request is rebuilt from its SignedHeaders and re-signed at
     * its {@code x-amz-date}.
     */
    static boolean signatureValid(Received r, byte[] body, String secret, String sessionToken, String service,
            String region) {
        String authorization = r.header("authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return false;
        }
        String signed = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        String keyId = authorization.replaceAll(".*Credential=([^/]+)/.*", "$1");
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://" + r.header("host") + r.rawPath()));
        for (String name : signed.split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date") && !name.equals("x-amz-content-sha256")
                    && !name.equals("x-amz-security-token")) {
                b.putHeader(name, r.header(name));
            }
        }
        Instant at = LocalDateTime.parse(r.header("x-amz-date"), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                .toInstant(ZoneOffset.UTC);
        AwsCredentialsIdentity id = sessionToken == null ? AwsCredentialsIdentity.create(keyId, secret)
                : AwsSessionCredentialsIdentity.create(keyId, secret, sessionToken);
        SdkHttpRequest again = AwsV4HttpSigner.create().sign(s -> s.identity(id).request(b.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, java.time.Clock.fixed(at, ZoneOffset.UTC))).request();
        return authorization.equals(again.firstMatchingHeader("authorization").orElse(null));
    }

    /** One {@code chunk} event frame carrying {@code eventJson} (base64 in {@code bytes}). */
    static byte[] chunk(String eventJson) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("event"));
        h.put(":event-type", HeaderValue.fromString("chunk"));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        String payload = "{\"bytes\":\"" + java.util.Base64.getEncoder().encodeToString(
                eventJson.getBytes(StandardCharsets.UTF_8)) + "\",\"p\":\"abcd\"}";
        return bytes(new Message(h, payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** One exception frame of {@code type} with {@code message}. */
    static byte[] exception(String type, String message) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("exception"));
        h.put(":exception-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        return bytes(new Message(h, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] bytes(Message m) {
        ByteBuffer b = m.toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The headers of an event-stream answer, as Bedrock sends them. */
    static Map<String, String> eventStreamHeaders() {
        return Map.of("content-type", "application/vnd.amazon.eventstream",
                "x-amzn-bedrock-content-type", "application/json", "x-amzn-requestid", "req-aws-1");
    }
}
