package dev.sonde.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A scriptable HTTP server on 127.0.0.1 for tests that need a server Sonde does not control: one that
 * misbehaves, echoes what it received, or answers in a shape of the test's choosing. Every request
 * is recorded before the script answers it. Thread-safe.
 */
public final class StubServer implements AutoCloseable {

    /** What one request carried; header names are lower-case. */
    public record Received(String method, String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Writes the answer to {@code request}: status and headers on {@code response}, then the body to {@code out}. */
    @FunctionalInterface
    public interface Script {
        void answer(Received request, Response response, OutputStream out) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Server server = new Server(new VirtualThreadPool());
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private StubServer(Script script) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Map<String, String> headers = new TreeMap<>();
                request.getHeaders().forEach(h -> headers.put(h.getLowerCaseName(), h.getValue()));
                Received r = new Received(request.getMethod(), request.getHttpURI().getPath(), Map.copyOf(headers),
                        Content.Source.asString(request, StandardCharsets.UTF_8));
                received.add(r);
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    script.answer(r, response, out);
                }
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    /** Starts a server answering every request with {@code script}. */
    public static StubServer start(Script script) throws Exception {
        return new StubServer(script);
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    /** Every request so far, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /**
     * A script answering every request, after {@code delayMillis}, with a short valid Messages SSE
     * stream (the text {@code Paris}, 12 input and 2 output tokens).
     */
    public static Script messagesStream(long delayMillis) {
        return (request, response, out) -> {
            Thread.sleep(delayMillis);
            response.getHeaders().put("content-type", "text/event-stream");
            sse(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_r\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],\"stop_reason\":null,"
                    + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
            sse(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            sse(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Paris\"}}");
            sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            sse(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                    + "\"usage\":{\"output_tokens\":2}}");
            sse(out, "message_stop", "{\"type\":\"message_stop\"}");
        };
    }

    /** The last user message's text of every Messages request so far, in arrival order. */
    public List<String> lastUserTexts() {
        return received.stream().map(r -> {
            try {
                JsonNode messages = JSON.readTree(r.body()).path("messages");
                return messages.get(messages.size() - 1).path("content").asText();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    /** Writes one SSE event and flushes it, so it leaves as its own chunk. */
    public static void sse(OutputStream out, String event, String json) throws Exception {
        write(out, "event: " + event + "\ndata: " + json + "\n\n");
    }

    /** Writes {@code text} as UTF-8 and flushes it. */
    public static void write(OutputStream out, String text) throws Exception {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
