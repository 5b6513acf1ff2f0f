package dev.sonde.emulator;

import dev.sonde.metrics.Clock;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * What the handler learns about one request while answering it. {@link #done} enters it in the
 * request log just before the last bytes go out (once), so a client that has its answer also
 * sees it in the log. It also stamps, on the emulator's clock ({@link Clock#nanoTime()}), when the
 * request's headers arrived, when its body was read, when each flush that carried bytes returned
 * (the first, and those carrying content deltas) and when the last byte was written; {@link #finished}
 * hands them to the {@link TraceLog}. At most {@value #MAX_DELTA_STAMPS} delta times are kept (the
 * count goes on). Confined to the request's thread.
 */
final class Trace {
    static final int MAX_DELTA_STAMPS = 2_048;

    final String requestId;
    final String method;
    final String path;
    final int retryCount;
    private final Consumer<EmulatorRequest> log;
    private final Clock clock;
    private final TraceLog timings;
    String model;
    /** The platform front serving the request; set once it is told from the path and authentication. */
    Route route = Route.ANTHROPIC;
    boolean stream;
    private boolean logged;
    private int status;
    private String errorType;
    private final long headersNanos;
    private long bodyNanos = -1;
    private long firstWriteNanos = -1;
    private long[] deltaNanos = new long[0];
    private int deltas;

    Trace(String requestId, String method, String path, int retryCount, Consumer<EmulatorRequest> log, Clock clock,
          TraceLog timings) {
        this.requestId = requestId;
        this.method = method;
        this.path = path;
        this.retryCount = retryCount;
        this.log = log;
        this.clock = clock;
        this.timings = timings;
        this.headersNanos = clock.nanoTime();
    }

    /** When the first flush carrying bytes returned, or -1 before it. */
    long firstWriteNanos() {
        return firstWriteNanos;
    }

    /** When the request's headers arrived, on the emulator's clock. */
    long arrivedNanos() {
        return headersNanos;
    }

    /**
     * When the request was received whole: its body read to the end (the headers' arrival for a
     * request whose body was never read). The most a server can know of "request received", and so
     * the start of Bedrock's invocation metrics: a client's call cannot end before its last byte
     * was read, whereas the headers may arrive before the client has finished writing the body.
     */
    long receivedNanos() {
        return bodyNanos >= 0 ? bodyNanos : headersNanos;
    }

    void done(int status, String errorType) {
        if (!logged) {
            logged = true;
            this.status = status;
            this.errorType = errorType;
            log.accept(new EmulatorRequest(requestId, method, path, status, errorType, model, stream, retryCount,
                    route.label));
        }
    }

    /** The request body has been read whole. */
    void bodyRead() {
        bodyNanos = clock.nanoTime();
    }

    /** A flush carrying {@code contentDeltas} content deltas (maybe none) has just returned. */
    void flushed(int contentDeltas) {
        long now = clock.nanoTime();
        if (firstWriteNanos < 0) {
            firstWriteNanos = now;
        }
        for (int i = 0; i < contentDeltas; i++, deltas++) {
            if (deltas < MAX_DELTA_STAMPS) {
                if (deltas == deltaNanos.length) {
                    deltaNanos = Arrays.copyOf(deltaNanos, Math.min(MAX_DELTA_STAMPS, Math.max(32, deltas * 2)));
                }
                deltaNanos[deltas] = now;
            }
        }
    }

    /** The response's last byte has been written (or the exchange failed); enters the timings in the trace file. */
    void finished() {
        if (!timings.enabled()) {
            return;
        }
        long now = clock.nanoTime();
        timings.offer(new TraceLog.Line(requestId, method, path, route.label, logged ? status : 0, logged ? errorType : "not_answered",
                stream, headersNanos, bodyNanos, firstWriteNanos < 0 ? now : firstWriteNanos,
                Arrays.copyOf(deltaNanos, Math.min(deltas, MAX_DELTA_STAMPS)), deltas, now));
    }
}
