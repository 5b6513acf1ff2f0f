package dev.sonde.api;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.client.transport.internal.HttpConnectionOverHTTP2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, as a warning line on stderr, that an HTTP/2 endpoint caps the concurrent streams of a
 * connection and Sonde has opened more than one connection to it (Jetty's client does so on its
 * own when every open connection is at the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS}): the
 * load then spreads over several connections, each with its own TCP and TLS state, which a
 * benchmark's reader should know. Thread-safe.
 */
final class StreamCapNotice {
    private static final Logger LOG = LoggerFactory.getLogger("dev.sonde.http");

    private final String endpoint;
    private final Set<Connection> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean said = new AtomicBoolean();

    StreamCapNotice(String endpoint) {
        this.endpoint = endpoint;
    }

    /** Whether the line has been said. */
    boolean said() {
        return said.get();
    }

    /**
     * Notes the connection a response came on; the second live HTTP/2 connection to the endpoint
     * is said once. Returns whether this call said it.
     */
    boolean responseOn(Connection connection) {
        if (!(connection instanceof HttpConnectionOverHTTP2 h2) || said.get()) {
            return false;
        }
        seen.removeIf(Connection::isClosed);
        if (seen.add(connection) && seen.size() > 1 && said.compareAndSet(false, true)) {
            int cap = h2.getSession() instanceof HTTP2Session s ? s.getMaxLocalStreams() : -1;
            LOG.warn("{} allows {} concurrent HTTP/2 streams per connection: Sonde opened {} connections to it",
                    endpoint, cap < 0 ? "a limited number of" : String.valueOf(cap), seen.size());
            return true;
        }
        return false;
    }
}
