package dev.sonde.emulator;

import dev.sonde.metrics.Clock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Writes a rendered answer to the wire, applying its {@link Faults} on the emulator's clock.
 * SSE events that are due at the same instant are written together in one flush (the bytes are
 * those of the events in order; only TCP segmentation differs), so a zero-latency stream costs
 * one write. {@code onCommit} runs just before the first byte of a JSON answer, and for a
 * stream just before its first content delta — when the modelled prefill is over, not at the early
 * {@code message_start} — or at its normal end when it has no delta; a stream cut by an error or a
 * drop before its first delta never runs it (it makes the
 * request's cache writes readable). A dropped connection is aborted at the TCP level (the client
 * sees the body end without its terminating chunk) and reported as a {@link Dropped}.
 * Stateless; each call is confined to the request's thread.
 */
final class Delivery {
    static final String SSE_TYPE = "text/event-stream; charset=utf-8";
    static final String JSON_TYPE = "application/json";
    /** Pace each event from when the previous one was written (the latency model's answers). */
    static final long RELATIVE = Long.MIN_VALUE;
    /** A {@code data:} line cut inside its JSON, which no SSE client can parse. */
    private static final byte[] MALFORMED = ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
            + "\"index\":0,\"delta\":{\"type\":\"text_del\n\n").getBytes(StandardCharsets.UTF_8);

    /** The connection was aborted on purpose (a {@code drop} fault). */
    static final class Dropped extends IOException {
        Dropped() {
            super("connection dropped by fault injection", null);
        }
    }

    private Delivery() {}

    static void json(Request request, Response response, byte[] body, long delayNanos, Faults faults, Trace trace,
                     Runnable onCommit, Clock clock) throws IOException, InterruptedException {
        sleep(clock, faults.firstByteDelayNanos());
        for (Faults.StreamFault fault : faults.stream()) {
            switch (fault) {
                case Faults.StreamFault.ErrorEvent e -> throw e.error();
                case Faults.StreamFault.Drop ignored -> {
                    trace.done(0, "connection_dropped");
                    throw abort(request);
                }
                case Faults.StreamFault.Stall s -> sleep(clock, s.nanos());
                case Faults.StreamFault.Malformed ignored -> body = java.util.Arrays.copyOf(body, body.length / 2);
            }
        }
        sleep(clock, delayNanos);
        onCommit.run();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        trace.done(200, null);
        Content.Sink.write(response, true, ByteBuffer.wrap(body));
    }

    /**
     * How a stream's events go on the wire: SSE (the Messages API's and chat completions') or AWS
     * event-stream frames (Bedrock's invoke-with-response-stream). {@link #encode} runs when the
     * event is written, so a frame may carry what is measured at that moment.
     */
    interface Framing {
        String contentType();

        byte[] encode(Wire.Event event);

        /** The frame of an error fault; the body ends after it. */
        byte[] error(ApiError error);

        /** The frame a {@code malformed_*} fault writes: one no client can parse. */
        byte[] malformed();
    }

    /** SSE framing: events as rendered, an error fault as {@code errorFrame} of its error. */
    static Framing sseFraming(Function<ApiError, byte[]> errorFrame) {
        return new Framing() {
            @Override
            public String contentType() {
                return SSE_TYPE;
            }

            @Override
            public byte[] encode(Wire.Event event) {
                return event.bytes();
            }

            @Override
            public byte[] error(ApiError error) {
                return errorFrame.apply(error);
            }

            @Override
            public byte[] malformed() {
                return MALFORMED.clone();
            }
        };
    }

    /** Writes {@code events}; an error fault writes {@code errorFrame} of its error and ends the body. */
    static void sse(Request request, Response response, List<Wire.Event> events, Faults faults, Trace trace,
                    Function<ApiError, byte[]> errorFrame, Runnable onCommit, Clock clock)
            throws IOException, InterruptedException {
        stream(request, response, events, faults, trace, sseFraming(errorFrame), onCommit, clock, RELATIVE);
    }

    /**
     * Writes {@code events} in {@code framing}; with {@code startNanos} other than {@link #RELATIVE},
     * each event's delay counts from the previous event's due time (the first's from {@code
     * startNanos}) rather than from when the previous one was written, so late wake-ups do not add
     * up (a recorded answer's pace); a stall starts the count again.
     */
    static void stream(Request request, Response response, List<Wire.Event> events, Faults faults, Trace trace,
                    Framing framing, Runnable onCommit, Clock clock, long startNanos)
            throws IOException, InterruptedException {
        sleep(clock, faults.firstByteDelayNanos());
        long due = startNanos == RELATIVE ? RELATIVE : Math.max(startNanos, clock.nanoTime());
        int[] at = new int[faults.stream().size()];
        for (int f = 0; f < at.length; f++) {
            at[f] = position(events, faults.stream().get(f));
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, framing.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        Pending pending = new Pending();
        boolean committed = false;
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            for (int i = 0; i <= events.size(); i++) {
                for (int f = 0; f < at.length; f++) {
                    if (at[f] != i) {
                        continue;
                    }
                    switch (faults.stream().get(f)) {
                        case Faults.StreamFault.ErrorEvent e -> {
                            pending.write(framing.error(e.error()));
                            trace.done(200, e.error().type);
                            flush(out, pending, trace);
                            return;
                        }
                        case Faults.StreamFault.Drop ignored -> {
                            flush(out, pending, trace);
                            trace.done(200, "connection_dropped");
                            throw abort(request);
                        }
                        case Faults.StreamFault.Stall s -> {
                            flush(out, pending, trace);
                            sleep(clock, s.nanos());
                            due = due == RELATIVE ? RELATIVE : clock.nanoTime();
                        }
                        case Faults.StreamFault.Malformed ignored -> pending.write(framing.malformed());
                    }
                }
                if (i == events.size()) {
                    break;
                }
                Wire.Event event = events.get(i);
                if (event.delayNanos() > 0) {
                    flush(out, pending, trace);
                    if (due == RELATIVE) {
                        clock.sleepNanos(event.delayNanos());
                    } else {
                        due += event.delayNanos();
                        sleep(clock, due - clock.nanoTime());
                    }
                }
                if (i == events.size() - 1) {
                    trace.done(200, null);
                }
                if (!committed && event.isDelta()) {
                    onCommit.run();
                    committed = true;
                }
                pending.write(framing.encode(event));
                if (event.isDelta()) {
                    pending.deltas++;
                }
            }
            if (!committed) {
                onCommit.run();
            }
            flush(out, pending, trace);
        }
    }

    /**
     * Index in {@code events} before which the fault strikes: after {@code after} events, or just
     * before the delta that follows the first {@code after} deltas; an error event always comes
     * before {@code message_stop}.
     */
    private static int position(List<Wire.Event> events, Faults.StreamFault fault) {
        int index = fault.after();
        if (fault.deltas()) {
            index = events.size();
            int seen = 0;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).isDelta()) {
                    if (seen == fault.after()) {
                        index = i;
                        break;
                    }
                    seen++;
                }
            }
        }
        int last = fault instanceof Faults.StreamFault.ErrorEvent ? events.size() - 1 : events.size();
        return Math.min(index, last);
    }

    /** Bytes not yet sent, and how many content deltas they hold. */
    private static final class Pending extends ByteArrayOutputStream {
        int deltas;

        Pending() {
            super(4096);
        }
    }

    /** Sends what is pending, if anything, empties it, and stamps the flush on the trace. */
    private static void flush(OutputStream out, Pending pending, Trace trace) throws IOException {
        if (pending.size() == 0) {
            return;
        }
        pending.writeTo(out);
        out.flush();
        trace.flushed(pending.deltas);
        pending.reset();
        pending.deltas = 0;
    }

    private static Dropped abort(Request request) {
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        return new Dropped();
    }

    private static void sleep(Clock clock, long nanos) throws InterruptedException {
        if (nanos > 0) {
            clock.sleepNanos(nanos);
        }
    }
}
