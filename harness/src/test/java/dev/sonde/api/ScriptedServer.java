package dev.sonde.api;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A hand-scripted HTTP server on loopback, standing in for "any Anthropic-compatible server":
 * each test writes the exact bytes and pauses it wants. Records every request it received.
 */
final class ScriptedServer implements AutoCloseable {

    @FunctionalInterface
    interface Script {
        void answer(Response response, OutputStream out) throws Exception;
    }

    record Received(String method, String path, List<HttpField> headers, String body) {
        String header(String name) {
            return headers.stream().filter(h -> h.getName().equalsIgnoreCase(name)).map(HttpField::getValue)
                    .findFirst().orElse(null);
        }
    }

    private final Server server = new Server();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    ScriptedServer(Script script) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                received.add(new Received(request.getMethod(), request.getHttpURI().getPath(),
                        List.copyOf(request.getHeaders().asImmutable().stream().toList()), body));
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    script.answer(response, out);
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

    List<Received> received() {
        return received;
    }

    static void event(OutputStream out, String name, String json) throws Exception {
        out.write(("event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
