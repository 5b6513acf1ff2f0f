package dev.sonde.emulator;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, deterministic, Anthropic-compatible HTTP server on 127.0.0.1: {@code POST
 * /v1/messages} (JSON and SSE), {@code POST /v1/messages/count_tokens}, {@code GET /v1/models}
 * and {@code GET /v1/models/{id}}, Message Batches under {@code /v1/messages/batches}, and the
 * OpenAI-compatible {@code POST /v1/chat/completions}, and the cloud platforms' routes at the same
 * root (Bedrock, Claude Platform on AWS, Vertex AI, Foundry: {@link Platforms}, with the test
 * credentials of {@link EmulatorCredentials}). Answers come from the configured rules,
 * else from a seeded generator; prompt caching, rate limits, faults and pacing run on the
 * config's clock. Behaviour and formats are documented in {@code fixtures/emulator/README.md}.
 *
 * <p>Each request runs on its own virtual thread (Jetty's {@link VirtualThreadPool}), so paced
 * streams do not exhaust a thread pool (up to {@value #MAX_CONCURRENT_TASKS} concurrent tasks). The instance is thread-safe; {@link #close()} stops the
 * server and is idempotent. The request log keeps the latest {@value #LOG_CAPACITY} requests and
 * never records headers or bodies (so never an API key).
 *
 * <pre>{@code
 * try (Emulator emu = Emulator.start(EmulatorConfig.builder().seed(42).build())) {
 *     URI base = emu.baseUri();  // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class Emulator implements AutoCloseable {
    static final int LOG_CAPACITY = 10_000;
    /** Jetty's virtual-thread pool caps concurrent tasks (default 200); paced streams need far more. */
    static final int MAX_CONCURRENT_TASKS = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(Emulator.class);

    private final Server server;
    private final EmulatorHandler handler;
    private final URI baseUri;
    private final Deque<EmulatorRequest> log = new ArrayDeque<>();
    private final EmulatorConfig config;
    private final TraceLog timings;

    private Emulator(EmulatorConfig config) throws IOException {
        this.config = config;
        Models models = Models.builtIn();
        List<LatencyProfile> profiles = new ArrayList<>(config.latency());
        profiles.addAll(models.defaultLatency());
        Rules rules = Rules.load(config.rules());
        timings = TraceLog.open(config.trace(), config.clock());
        VirtualThreadPool threads = new VirtualThreadPool(MAX_CONCURRENT_TASKS);
        threads.setName("sonde-emulator");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // Bedrock model ARNs ("…:inference-profile/us.anthropic…") travel URL-encoded in the path, '/' as %2F
        http.setUriCompliance(UriCompliance.DEFAULT.with("bedrock-arn", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(config.port());
        // Load tests open hundreds of connections at once: a short listen backlog would reset some
        // of them before Jetty accepts ("header parser received no bytes" on the client).
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        server.setStopTimeout(2_000);
        Map<String, LatencyModel> platformLatency = new HashMap<>();
        config.platformLatency().forEach((platform, first) -> {
            List<LatencyProfile> all = new ArrayList<>(first);
            all.addAll(profiles);
            platformLatency.put(platform, new LatencyModel(all));
        });
        MessagesEndpoint messages = new MessagesEndpoint(config, models, new Responder(config.seed(), rules),
                new LatencyModel(profiles), platformLatency, new PromptCache(config.clock(), CacheMinimums.of(config)),
                new RateLimiter(config.clock(), config.rateLimits()));
        handler = new EmulatorHandler(config, messages, new Batches(config, messages),
                new ChatCompletions(messages, config.clock()), models, this::record, timings);
        server.setHandler(handler);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly();
            throw e instanceof BindException ? new BindException("emulator cannot bind 127.0.0.1:" + config.port()
                    + ": " + e.getMessage()) : e;
        } catch (Exception e) {
            stopQuietly();
            throw new IOException("emulator failed to start: " + e.getMessage(), e);
        }
        baseUri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        LOG.info("emulator listening on {} ({} rules, seed {})", baseUri, rules.size(), config.seed());
    }

    /**
     * Starts a server; returns once it accepts connections.
     *
     * @throws IOException if the port cannot be bound
     * @throws IllegalArgumentException if a rules file is malformed
     */
    public static Emulator start(EmulatorConfig config) throws IOException {
        return new Emulator(config);
    }

    /**
     * The model ids {@code GET /v1/models} lists (the built-in list, newest first). {@code POST
     * /v1/messages} answers any id, listed or not, so a harness checking a suite's ids can only
     * suggest from this list, never refuse by it.
     */
    public static List<String> modelIds() {
        return Models.builtIn().ids();
    }

    /** {@code http://127.0.0.1:<port>}, what SDKs take as their base URL. */
    public URI baseUri() {
        return baseUri;
    }

    /** The seed every answer, id and latency sample derives from; print it and record it with results. */
    public long seed() {
        return config.seed();
    }

    /** The configuration this emulator runs with. */
    public EmulatorConfig config() {
        return config;
    }

    public int port() {
        return baseUri.getPort();
    }

    /** Requests received so far, on any path, answered or failed. */
    public long requestCount() {
        return handler.requestCount();
    }

    /** The most recent answered requests, oldest first (at most {@value #LOG_CAPACITY}). */
    public List<EmulatorRequest> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Blocks until the server stops (for the standalone command). */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        stopQuietly();
    }

    private void record(EmulatorRequest request) {
        synchronized (log) {
            if (log.size() == LOG_CAPACITY) {
                log.removeFirst();
            }
            log.addLast(request);
        }
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("emulator did not stop cleanly: {}", e.toString());
        }
        timings.close();
    }
}
