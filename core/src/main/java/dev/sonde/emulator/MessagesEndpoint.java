package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The {@code POST /v1/messages} pipeline, shared by the chat-completions front and batches:
 * validate (the model's context window and output limit too, {@link ModelLimit}) → number the
 * request → faults (the {@value Faults#HEADER} header, then rules) →
 * answer → prompt-cache plan → rate limits → pacing schedule. An HTTP fault or a 429 is thrown
 * as {@link ApiError} before any cache state changes; an admitted request refreshes the entries
 * it read at once and makes its writes readable when its first byte goes out. Response headers
 * ({@code anthropic-ratelimit-*}, fault headers) are set on the response as decided; an admitted
 * answer no rule matched also carries {@value #FILLER_HEADER}{@code : true} (on chat completions
 * too), so a client can count generated filler without guessing from the text.
 * A recorded answer ({@link Recording}) keeps its recorded pace instead of the latency model's.
 * Thread-safe.
 */
final class MessagesEndpoint {
    /** The response header of an answer no rule matched: its content is generated filler. */
    static final String FILLER_HEADER = "sonde-emulator-filler";
    /** The rate-limit headers Foundry's answers lack. */
    static final String RATE_LIMIT_PREFIX = "anthropic-ratelimit-";

    private final Responder responder;
    private final LatencyModel latency;
    /** Per platform ({@link Route#platform}): its {@code platforms:} profiles before the rest. */
    private final Map<String, LatencyModel> platformLatency;
    private final PromptCache cache;
    private final RateLimiter limiter;
    private final Clock clock;
    private final long configSeed;
    private final AtomicLong messagesCounter = new AtomicLong();

    /** An admitted answer with its cache plan and pacing. */
    record Prepared(Answer answer, PromptCache.Plan plan, LatencyModel.Schedule schedule) {}

    private final Capacity capacity;

    private final Models models;

    MessagesEndpoint(EmulatorConfig config, Models models, Responder responder, LatencyModel latency,
                     Map<String, LatencyModel> platformLatency, PromptCache cache, RateLimiter limiter) {
        this.platformLatency = Map.copyOf(platformLatency);
        this.models = models;
        this.responder = responder;
        this.latency = latency;
        this.cache = cache;
        this.limiter = limiter;
        this.clock = config.clock();
        this.configSeed = config.seed();
        this.capacity = new Capacity(config.capacity());
    }

    PromptCache cache() {
        return cache;
    }

    /** Runs the pipeline up to delivery; throws the {@link ApiError} to answer with instead. */
    Prepared prepare(Response response, String apiKey, MessagesRequest parsed, String faultHeader)
            throws InterruptedException {
        return prepare(response, apiKey, parsed, faultHeader, Recording.Asker.NONE);
    }

    /**
     * As {@link #prepare(Response, String, MessagesRequest, String)} for a trial's request of one suite
     * model and repeat ({@value Recording#MODEL_HEADER}, {@value Recording#REPEAT_HEADER}; each when said).
     */
    Prepared prepare(Response response, String apiKey, MessagesRequest parsed, String faultHeader,
            Recording.Asker asker)
            throws InterruptedException {
        return prepare(response, apiKey, parsed, faultHeader, asker, latency);
    }

    private Prepared prepare(Response response, String apiKey, MessagesRequest parsed, String faultHeader,
            Recording.Asker asker, LatencyModel latency)
            throws InterruptedException {
        PromptCache.breakpoints(parsed);
        models.limitsOf(parsed.model()).check(parsed);
        long number = messagesCounter.incrementAndGet();
        Faults header = faultHeader == null || faultHeader.isBlank() ? Faults.NONE : Faults.header(faultHeader);
        if (header.httpError() != null) {
            fail(response, header, header.httpError());
        }
        Answer answer;
        try {
            answer = responder.answer(parsed, number, asker);
        } catch (ApiError e) {
            fail(response, header, e);
            throw e;
        }
        Faults faults = answer.faults().overriddenBy(header);
        faults.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (faults.httpError() != null) {
            fail(response, faults, faults.httpError());
        }
        PromptCache.Plan plan = cache.plan(apiKey, parsed);
        CacheUsage usage = plan.usage();
        RateLimiter.Decision decision = limiter.admit(apiKey, parsed.model(), usage.inputTokens() + usage.cacheCreation(),
                answer.outputTokens());
        decision.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (decision.rejection() != null) {
            throw decision.rejection();
        }
        cache.refresh(plan);
        if (answer.filler()) {
            response.getHeaders().put(FILLER_HEADER, "true");
        }
        Answer admitted = answer.withCache(usage).withFaults(faults);
        LatencyModel.Schedule schedule = admitted.replay() != null && admitted.replay().schedule() != null
                ? admitted.replay().schedule() : latency.schedule(admitted, Seeds.forRequest(configSeed, parsed.body()));
        return new Prepared(admitted, plan, schedule);
    }

    /** Answers one {@code POST /v1/messages} in the Messages API format. */
    void handle(Request request, Response response, Trace trace, String apiKey, JsonNode body)
            throws IOException, InterruptedException {
        handle(request, response, trace, apiKey, body, body);
    }

    /**
     * As {@link #handle(Request, Response, Trace, String, JsonNode)} for a platform's request:
     * {@code body} is the Messages body {@link Platforms} made of {@code sent}, the body as the
     * client sent it, by which a recorded answer is found.
     */
    void handle(Request request, Response response, Trace trace, String apiKey, JsonNode body, JsonNode sent)
            throws IOException, InterruptedException {
        MessagesRequest parsed = RequestValidator.parse(body, false).sentAs(sent);
        trace.stream = parsed.stream();
        Prepared p = prepare(response, apiKey, parsed, request.getHeaders().get(Faults.HEADER),
                new Recording.Asker(modelId(request.getHeaders().get(Recording.MODEL_HEADER)),
                        repeat(request.getHeaders().get(Recording.REPEAT_HEADER))),
                trace.route.platform == null ? latency : platformLatency.getOrDefault(trace.route.platform, latency));
        if (trace.route == Route.FOUNDRY) {
            dropRateLimitHeaders(response);
        }
        // the cache writes become readable when the prefill is over: at a stream's first content delta,
        // just before a JSON answer's first byte (Delivery)
        Runnable commitWrites = () -> cache.commit(p.plan());
        java.util.concurrent.Semaphore slot = capacity.acquire(parsed.model());
        // a recorded answer keeps to its recorded times from the request's arrival
        Answer.Replay replay = p.answer().replay();
        long firstByteAt = replay == null || replay.schedule() == null ? Delivery.RELATIVE
                : trace.arrivedNanos() + replay.firstByteNanos();
        try {
            if (!parsed.stream()) {
                byte[] json = Wire.message(p.answer()).toString().getBytes(StandardCharsets.UTF_8);
                long delay = firstByteAt == Delivery.RELATIVE ? p.schedule().totalNanos()
                        : Math.max(0, firstByteAt + p.schedule().totalNanos() - clock.nanoTime());
                if (trace.route == Route.BEDROCK_INVOKE) {
                    bedrockHeaders(response, p.answer(), (clock.nanoTime() - trace.receivedNanos()
                            + p.answer().faults().firstByteDelayNanos() + delay) / 1_000_000);
                }
                Delivery.json(request, response, json, delay, p.answer().faults(), trace, commitWrites, clock);
                return;
            }
            if (firstByteAt != Delivery.RELATIVE && firstByteAt > clock.nanoTime()) {
                clock.sleepNanos(firstByteAt - clock.nanoTime());
            }
            Delivery.Framing framing = Delivery.sseFraming(e -> Wire.errorEvent(e, trace.requestId));
            if (trace.route == Route.BEDROCK_INVOKE) {
                response.getHeaders().put("x-amzn-bedrock-content-type", Delivery.JSON_TYPE);
                framing = BedrockWire.framing(Wire.message(p.answer()).path("usage"), trace, clock);
            }
            Delivery.stream(request, response, Wire.events(p.answer(), p.schedule()), p.answer().faults(), trace,
                    framing, commitWrites, clock, firstByteAt);
        } finally {
            if (slot != null) {
                slot.release();
            }
        }
    }

    /** Bedrock InvokeModel's usage headers on a non-streamed answer; the latency is the one about to be played. */
    private static void bedrockHeaders(Response response, Answer answer, long invocationLatencyMillis) {
        JsonNode usage = Wire.message(answer).path("usage");
        response.getHeaders().put("x-amzn-bedrock-input-token-count", usage.path("input_tokens").asText());
        response.getHeaders().put("x-amzn-bedrock-output-token-count", usage.path("output_tokens").asText());
        response.getHeaders().put("x-amzn-bedrock-invocation-latency", Long.toString(invocationLatencyMillis));
    }

    /** Takes the {@code anthropic-ratelimit-*} headers off a response (Foundry sends none). */
    static void dropRateLimitHeaders(Response response) {
        List<String> names = response.getHeaders().getFieldNamesCollection().stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).startsWith(RATE_LIMIT_PREFIX)).toList();
        names.forEach(name -> response.getHeaders().remove(name));
    }

    /**
     * The answer a batch request gets: no faults, pacing or rate limits; the prompt cache is
     * used best-effort (reads, and writes readable at once).
     */
    Answer forBatch(String apiKey, MessagesRequest parsed) {
        models.limitsOf(parsed.model()).check(parsed);
        Answer answer = responder.answer(parsed, 0);
        PromptCache.Plan plan = cache.plan(apiKey, parsed);
        cache.refresh(plan);
        cache.commit(plan);
        return answer.withCache(plan.usage()).withFaults(Faults.NONE);
    }

    /** The {@value Recording#MODEL_HEADER} header's model label, null when absent; empty or too long → 400. */
    static String modelId(String header) {
        if (header == null) {
            return null;
        }
        if (header.isBlank() || header.length() > Recording.MAX_SHORT_TEXT) {
            throw ApiError.of(400, null, Recording.MODEL_HEADER + ": must be 1 to " + Recording.MAX_SHORT_TEXT
                    + " characters", Map.of());
        }
        return header;
    }

    /** The {@value Recording#REPEAT_HEADER} header's repeat index, -1 when absent; malformed → 400. */
    static int repeat(String header) {
        if (header == null) {
            return -1;
        }
        try {
            int repeat = Integer.parseInt(header.trim());
            if (repeat >= 0 && repeat <= Recording.MAX_REPEAT) {
                return repeat;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.of(400, null, Recording.REPEAT_HEADER + ": must be a whole number from 0 to "
                + Recording.MAX_REPEAT, Map.of());
    }

    private void fail(Response response, Faults faults, ApiError error) throws InterruptedException {
        faults.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (faults.firstByteDelayNanos() > 0) {
            clock.sleepNanos(faults.firstByteDelayNanos());
        }
        throw error;
    }
}
