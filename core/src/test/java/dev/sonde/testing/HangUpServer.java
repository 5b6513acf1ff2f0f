package dev.sonde.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A plain loopback socket server for connections that end badly, below what an HTTP server lets a
 * test do: each connection that carries a request (numbered from 1 when its first byte arrives) is
 * hung up on at once, reset after its request arrived, or answered once with a whole Messages API
 * response and {@code Connection: close} (and then, if asked, nothing listens any more). A connection
 * the client opened and never used (an HTTP client's pool may open a spare one) is not numbered.
 * {@link #close()} frees the port, so a later connection is refused. Thread-safe.
 */
public final class HangUpServer implements AutoCloseable {

    /** What happens to one connection. */
    public enum Action {
        /** Closed as soon as the request starts to arrive, before it is read: no status, no byte. */
        HANG_UP,
        /** The request is read, then the connection is reset (RST): no status. */
        RESET,
        /** The request is read and answered with HTTP 200 and a whole message saying "Paris". */
        ANSWER,
        /** As {@link #ANSWER}, and the server stops listening: every later connection is refused. */
        ANSWER_THEN_GO_AWAY
    }

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    private HangUpServer(IntFunction<Action> perConnection) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("hang-up-server").start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread.ofVirtual().start(() -> {
                        try {
                            PushbackInputStream in = new PushbackInputStream(s.getInputStream());
                            int first = in.read();
                            if (first < 0) {
                                s.close(); // opened and never used
                                return;
                            }
                            in.unread(first);
                            Action action = perConnection.apply(connections.incrementAndGet());
                            if (action == Action.ANSWER_THEN_GO_AWAY) {
                                socket.close();
                            }
                            serve(s, in, action);
                        } catch (IOException gone) {
                            // the client went away first
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Starts a server whose connection {@code n} (from 1) gets {@code perConnection.apply(n)}. */
    public static HangUpServer start(IntFunction<Action> perConnection) throws IOException {
        return new HangUpServer(perConnection);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** Connections that carried a request so far. */
    public int connections() {
        return connections.get();
    }

    private static void serve(Socket s, InputStream in, Action action) {
        try (s) {
            if (action == Action.HANG_UP) {
                return;
            }
            readRequest(in);
            if (action == Action.RESET) {
                s.setSoLinger(true, 0);
                return;
            }
            byte[] body = ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"Paris\"}],\"stop_reason\":\"end_turn\","
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}")
                    .getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_hang_up\r\n"
                    + "connection: close\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException gone) {
            // the client went away first: nothing to answer
        }
    }

    /** Reads one request's headers and its body (by content-length); returns early at end of stream. */
    public static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        in.readNBytes((int) length);
    }

    /** Closes the listening socket: the port is free, and connecting to it is refused from now on. */
    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
