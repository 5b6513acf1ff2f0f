package dev.sonde.api;

import dev.sonde.metrics.BoundedInput;
import dev.sonde.metrics.Jackson;
import dev.sonde.metrics.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Timings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The Message Batches API ({@code /v1/messages/batches}): submit many Messages bodies at once at the
 * batch price, poll until the batch has ended (backoff from 1 s to 30 s on the client's clock), and
 * read the results JSONL, each line turned into an {@link Exchange}. Batch exchanges have no
 * latency: their timings are {@link Timings#unmeasured} with {@link #UNTIMED} as the reason, so a
 * check that needs a timing is not applicable to them; an {@code errored} result keeps the API's error,
 * an {@code expired} or {@code canceled} one is a failure of its own class.
 *
 * <p>Every read is bounded, so a server that never stops sending costs one line of error, not the
 * process: a JSON answer (the batch's state) at {@value #MAX_REPLY_BYTES} bytes, an error body at
 * {@value #MAX_ERROR_BYTES}; the results are read line by line, at most one line per request, each
 * no longer than a whole (non-streamed) response to its request may be ({@link
 * MessageRequest#maxResponseBytes()}: 8 times what its {@code max_tokens} could need, 1 MB at least)
 * plus {@value #ENVELOPE_BYTES} bytes of envelope, and all of them no more than those limits summed
 * ({@link ResultLimits}). Thread-safe.
 */
public final class BatchClient {
    /** Limits of one batch (API-SPEC §10). */
    public static final int MAX_REQUESTS = 100_000;
    /** Why a batch exchange has no timings: the results say what came back, never when. */
    public static final String UNTIMED = "sent through Message Batches, which report no timings";
    /** The largest JSON answer read (a batch's state is a few hundred bytes). */
    static final int MAX_REPLY_BYTES = 8 << 20;
    /** The most of an error body read: the API's fit in a few hundred bytes. */
    static final int MAX_ERROR_BYTES = 64 << 10;
    /** A results line's room beside its message: custom id, result type, an error's message. */
    static final long ENVELOPE_BYTES = 64 << 10;
    /** How often a wait between polls looks whether the batch is to be cancelled. */
    static final long CANCEL_POLL_MILLIS = 100;

    private final String endpoint;
    private final ApiKey apiKey;
    private final SecretMask mask;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper json = Jackson.plain();

    public BatchClient(URI baseUri, ApiKey apiKey, Clock clock, Duration connectTimeout) {
        this(baseUri, apiKey, SecretMask.of(apiKey), clock, connectTimeout);
    }

    /** @param mask every key of the run, removed from whatever the server sends back */
    public BatchClient(URI baseUri, ApiKey apiKey, SecretMask mask, Clock clock, Duration connectTimeout) {
        this.endpoint = HttpTransport.endpoint(baseUri);
        this.apiKey = apiKey;
        this.mask = mask;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    /** A batch's state as last polled: its id, {@code processing_status} and request counts. */
    public record Status(String id, String processingStatus, JsonNode requestCounts, String resultsUrl) {}

    /**
     * Submits {@code requests} (custom id → Messages body; {@code stream} is removed) as one batch,
     * waits for it to end, and returns each custom id's exchange.
     *
     * @param progress hears every poll
     */
    public Map<String, Exchange> run(Map<String, ObjectNode> requests, Consumer<Status> progress)
            throws IOException, InterruptedException {
        return run(requests, progress, () -> false);
    }

    /**
     * As {@link #run(Map, Consumer)}; once {@code cancel} holds (looked at every
     * {@value #CANCEL_POLL_MILLIS} ms while waiting), asks the server once to cancel the batch and
     * goes on polling until it has ended: the entries it finished keep their results, the rest come
     * back {@code canceled} ({@link #canceled}).
     */
    public Map<String, Exchange> run(Map<String, ObjectNode> requests, Consumer<Status> progress, BooleanSupplier cancel)
            throws IOException, InterruptedException {
        ResultLimits limits = ResultLimits.of(requests.values());
        ObjectNode create = json.createObjectNode();
        ArrayNode list = create.putArray("requests");
        requests.forEach((id, body) -> {
            ObjectNode params = body.deepCopy();
            params.remove("stream");
            list.addObject().put("custom_id", id).set("params", params);
        });
        Status status;
        try {
            status = status(call("POST", "/v1/messages/batches", json.writeValueAsBytes(create)));
        } catch (StatusError e) {
            throw new NotCreated(e.getMessage(), e);
        }
        long wait = 1_000_000_000L;
        boolean cancelled = false;
        while (!"ended".equals(status.processingStatus())) {
            progress.accept(status);
            if (!cancelled && cancel.getAsBoolean()) {
                cancelled = true;
                wait = 1_000_000_000L;
                status = status(call("POST", "/v1/messages/batches/" + status.id() + "/cancel", new byte[0]));
                continue;
            }
            long end = clock.nanoTime() + wait;
            for (long left = wait; left > 0 && (cancelled || !cancel.getAsBoolean()); left = end - clock.nanoTime()) {
                clock.sleepNanos(Math.min(left, CANCEL_POLL_MILLIS * 1_000_000L));
            }
            wait = Math.min(wait * 2, 30_000_000_000L);
            status = status(call("GET", "/v1/messages/batches/" + status.id(), null));
        }
        progress.accept(status);
        return results(status, limits, requests);
    }

    /**
     * What a batch's results may hold: {@code lines} entries, none longer than {@code lineBytes},
     * {@code totalBytes} in all; each request allows a line as long as a whole response to it may be
     * plus {@link #ENVELOPE_BYTES}.
     */
    record ResultLimits(int lines, long lineBytes, long totalBytes) {
        static ResultLimits of(Collection<ObjectNode> bodies) {
            long line = 0;
            long total = 0;
            for (ObjectNode body : bodies) {
                long one = Math.min(Long.MAX_VALUE - ENVELOPE_BYTES,
                        MessageRequest.maxResponseBytes(body.path("max_tokens").asLong(0), false)) + ENVELOPE_BYTES;
                line = Math.max(line, one);
                total = total > Long.MAX_VALUE - one ? Long.MAX_VALUE : total + one;
            }
            return new ResultLimits(bodies.size(), line, total);
        }
    }

    /** The server answered a batch call with an error status. */
    private static final class StatusError extends IOException {
        StatusError(String message) {
            super(message);
        }
    }

    /**
     * The server refused to create the batch (an error status to the create call): nothing of it
     * ran, so nothing of it is billed.
     */
    public static final class NotCreated extends IOException {
        NotCreated(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Whether {@code ex} is a batch entry the batch cancelled before running it (it cost nothing). */
    public static boolean canceled(Exchange ex) {
        return ex.failure() != null && "batch_canceled".equals(ex.failure().type());
    }

    private Map<String, Exchange> results(Status status, ResultLimits limits, Map<String, ObjectNode> requests)
            throws IOException, InterruptedException {
        HttpRequest request = authorized(HttpRequest.newBuilder(sameOrigin(status.resultsUrl()))).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        Map<String, Exchange> out = new LinkedHashMap<>();
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(endpoint + ": batch results answered " + response.statusCode());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(
                    BoundedInput.of(body, endpoint + ": batch results", limits.totalBytes(), limits.lineBytes()),
                    StandardCharsets.UTF_8));
            String line;
            int number = 0;
            int entries = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    if (++entries > limits.lines()) {
                        throw new IOException(endpoint + ": the batch results hold more entries than the batch's "
                                + limits.lines() + " requests");
                    }
                    JsonNode entry;
                    try {
                        entry = json.readTree(line);
                    } catch (IOException notJson) { // Jackson's message quotes the text: never print it
                        throw new IOException(endpoint + ": line " + number + " of the batch results is not JSON");
                    }
                    String id = entry.path("custom_id").asText();
                    ObjectNode asked = requests.get(id);
                    long maxOutput = asked == null ? 0 : Math.max(0, asked.path("max_tokens").asLong(0));
                    out.put(id, mask.mask(UsageCheck.checked(exchange(entry.path("result")), maxOutput, true)));
                }
            }
        }
        return out;
    }

    private Exchange exchange(JsonNode result) {
        String type = result.path("type").asText();
        if (type.equals("succeeded")) {
            JsonNode message = result.path("message");
            Exchange ex = WireProtocol.ANTHROPIC.message(200, null, ServerHints.NONE, message,
                    Timings.unmeasured(UNTIMED), message.path("model").asText(null));
            if (ex != null) {
                return ex;
            }
            return failed(new ApiFailure(ErrorClass.PROTOCOL, 200, null, "batch result is not a message"));
        }
        if (type.equals("errored")) {
            JsonNode error = result.path("error").path("error");
            String errorType = error.path("type").asText(null);
            return failed(new ApiFailure(ErrorClass.ofType(errorType, 400), 0, errorType, error.path("message").asText(null)));
        }
        return failed(new ApiFailure(type.equals("expired") ? ErrorClass.TIMEOUT_TOTAL : ErrorClass.PROTOCOL, 0,
                "batch_" + type, "the batch entry was " + type + " before it ran"));
    }

    private static Exchange failed(ApiFailure failure) {
        return new Exchange(0, null, null, List.of(), null, null, Usage.NONE, Timings.unmeasured(UNTIMED), failure);
    }

    /**
     * The batch as the server described it, masked like every server-supplied text (it is printed
     * on each poll); the id must be a plain token, since it goes into the next request's path.
     */
    private Status status(JsonNode batch) throws IOException {
        String id = batch.path("id").asText();
        if (!id.matches("[A-Za-z0-9_-]{1,200}")) {
            throw new IOException(endpoint + ": the batch id the server sent is not a plain token; refused");
        }
        return new Status(mask.mask(id), mask.mask(batch.path("processing_status").asText()),
                mask.mask(batch.path("request_counts")), batch.path("results_url").asText(null));
    }

    private JsonNode call(String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = authorized(HttpRequest.newBuilder(URI.create(endpoint + path)))
                .header("content-type", "application/json");
        b = body == null ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] answer;
        try (InputStream in = response.body()) { // closed early, the rest is never read
            if (response.statusCode() / 100 != 2) {
                byte[] error = mask.mask(new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                ApiFailure f = AnthropicClient.errorFrom(response.statusCode(), error, json);
                throw new StatusError(endpoint + ": " + mask.mask(f.describe()));
            }
            answer = BoundedInput.of(in, endpoint + ": the batch answer to " + method + " " + path, MAX_REPLY_BYTES,
                    Long.MAX_VALUE).readAllBytes();
        }
        try {
            return json.readTree(answer);
        } catch (IOException notJson) {
            throw new IOException(endpoint + ": the batch answer to " + method + " " + path + " is not JSON");
        }
    }

    /**
     * The server's {@code results_url}, refused unless it is on this client's endpoint (same scheme,
     * host and port): the key goes with the request, and a server must not be able to send it
     * elsewhere.
     */
    private URI sameOrigin(String resultsUrl) throws IOException {
        URI base = URI.create(endpoint);
        URI url;
        try {
            url = resultsUrl == null ? null : new URI(resultsUrl);
        } catch (java.net.URISyntaxException e) {
            url = null;
        }
        if (url == null || !base.getScheme().equalsIgnoreCase(String.valueOf(url.getScheme()))
                || !base.getHost().equalsIgnoreCase(String.valueOf(url.getHost())) || port(base) != port(url)) {
            throw new IOException(endpoint + ": the batch's results_url is not on this endpoint; refused, since the "
                    + "key would go with the request");
        }
        return url;
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return b.header("x-api-key", apiKey.reveal()).header("anthropic-version", AnthropicClient.API_VERSION)
                .timeout(Duration.ofMinutes(5));
    }
}
