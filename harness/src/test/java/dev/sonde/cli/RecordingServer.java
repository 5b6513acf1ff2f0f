package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * A Messages endpoint on loopback that records the last user text of every request it receives
 * (in arrival order) and answers each, after {@code delayMillis}, with a short valid SSE stream.
 * Tests use the record to prove which trials were sent, and how often.
 */
final class RecordingServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Server server = new Server(new VirtualThreadPool());
    private final List<String> prompts = new CopyOnWriteArrayList<>();

    RecordingServer(long delayMillis) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                JsonNode body = JSON.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
                JsonNode messages = body.path("messages");
                prompts.add(messages.get(messages.size() - 1).path("content").asText());
                Thread.sleep(delayMillis);
                response.getHeaders().put("content-type", "text/event-stream");
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    out.write(("""
                            event: message_start
                            data: {"type":"message_start","message":{"id":"msg_r","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"usage":{"input_tokens":12,"output_tokens":1}}}

                            event: content_block_start
                            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                            event: content_block_delta
                            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Paris"}}

                            event: content_block_stop
                            data: {"type":"content_block_stop","index":0}

                            event: message_delta
                            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}

                            event: message_stop
                            data: {"type":"message_stop"}

                            """).getBytes(StandardCharsets.UTF_8));
                }
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    /** The last user text of every request received so far, in arrival order. */
    List<String> prompts() {
        return List.copyOf(prompts);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
