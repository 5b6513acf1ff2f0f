package dev.sonde.testing;

import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The one scripted {@link Provider} of the tests: answers each request with the next queued
 * exchange ({@link #then}), else with its fallback function; records every request it was sent,
 * counts calls and the most requests in flight at once. A hook runs on each call before the
 * answer is chosen (advance a fake clock, sleep to let requests overlap). Thread-safe: concurrent
 * sends overlap, unless {@link #serial()} makes each call, hook included, run alone.
 */
public final class ScriptedProvider implements Provider {
    private final Function<MessageRequest, Exchange> fallback;
    private final Queue<Exchange> script = new ConcurrentLinkedQueue<>();
    private final List<MessageRequest> sent = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private Runnable onEachCall = () -> {};
    private boolean serial;
    private String endpoint = "http://scripted.test";

    private ScriptedProvider(Function<MessageRequest, Exchange> fallback) {
        this.fallback = fallback;
    }

    /** Answers every request not scripted with {@link #then} by {@code fallback}. */
    public static ScriptedProvider answering(Function<MessageRequest, Exchange> fallback) {
        return new ScriptedProvider(fallback);
    }

    /** Answers with {@code answers} in order, then fails the test if asked again. */
    public static ScriptedProvider answers(Exchange... answers) {
        return answering(r -> {
            throw new AssertionError("no scripted answer left for request " + r.body());
        }).then(answers);
    }

    /** Queues answers for the next calls, in order. */
    public ScriptedProvider then(Exchange... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** Runs {@code hook} on each call, before the answer is chosen. */
    public ScriptedProvider onEachCall(Runnable hook) {
        this.onEachCall = hook;
        return this;
    }

    /** Makes each call run alone (hook and answer together), as a fake clock's tests need. */
    public ScriptedProvider serial() {
        this.serial = true;
        return this;
    }

    /** The endpoint it reports ({@code http://scripted.test} unless set). */
    public ScriptedProvider endpoint(String endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    @Override
    public Exchange send(MessageRequest request) throws InterruptedException {
        if (serial) {
            synchronized (this) {
                return answer(request);
            }
        }
        return answer(request);
    }

    private Exchange answer(MessageRequest request) {
        sent.add(request);
        calls.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            onEachCall.run();
            Exchange next = script.poll();
            return next != null ? next : fallback.apply(request);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    /** Every request sent so far, in the order the calls began. */
    public List<MessageRequest> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** How many calls were made. */
    public int calls() {
        return calls.get();
    }

    /** The most calls in flight at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }
}
