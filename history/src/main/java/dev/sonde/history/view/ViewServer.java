package dev.sonde.history.view;

import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.ViewOptions;
import dev.sonde.history.Viewer;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code sonde view}: a Jetty server bound to 127.0.0.1 only ({@link ViewHandler} checks each
 * request) that serves the pages of one history store, reading it through the {@link HistoryStore}
 * SPI per page. Nothing is downloaded by the pages: styles are inline and charts inline SVG. The
 * server threads are daemons; {@link #join} keeps a command alive. Thread-safe.
 */
public final class ViewServer implements Viewer {
    private final Server server;
    private final URI uri;

    private ViewServer(Server server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    /**
     * Starts serving {@code file} through {@code store}; returns once the port accepts connections.
     *
     * @throws HistoryException the port cannot be bound (one line)
     */
    public static Viewer start(HistoryStore store, Path file, ViewOptions options) throws HistoryException {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("sonde-view");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory());
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
        connector.setHost("127.0.0.1");
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setStopTimeout(1_000);
        server.setErrorHandler(new ErrorPage());
        server.setHandler(new ViewHandler(new Site(store, file.toAbsolutePath().normalize(), options.readWait()),
                connector::getLocalPort));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            Throwable cause = e instanceof BindException || e.getCause() == null ? e : e.getCause();
            throw new HistoryException("history: cannot listen on 127.0.0.1:" + options.port() + " for sonde view ("
                    + cause.getMessage() + ")" + (options.port() == 0 ? "" : "; pick another --port, or leave it out"));
        }
        return new ViewServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"));
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // stopping: nothing left to tell the user
        }
    }
}
