package dev.sonde.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's timing trace ({@code sonde emulator --trace FILE}): one JSONL line per request,
 * after a first line that anchors the emulator's monotonic clock to wall-clock time. Format in
 * {@code fixtures/emulator/README.md} (Timing trace).
 *
 * <p>The response path never waits on the disk: a request's {@link Line} goes into a queue of
 * {@value #QUEUE_LINES} lines that one writer thread drains; when the queue is full the line is
 * dropped and counted (said in the log at close), so memory stays bounded however fast requests
 * come. {@link #close} writes what is queued, flushes and closes the file; it is idempotent and
 * safe from a shutdown hook. Thread-safe.
 */
final class TraceLog implements AutoCloseable {
    static final int QUEUE_LINES = 8_192;
    private static final int ANCHOR_TRIES = 20;
    private static final Logger LOG = LoggerFactory.getLogger(TraceLog.class);
    /** A trace that records nothing. */
    static final TraceLog NONE = new TraceLog();

    /** The timings of one request, every {@code *Nanos} on the emulator's clock. */
    record Line(String requestId, String method, String path, String route, int status, String errorType, boolean stream,
                long headersNanos, long bodyNanos, long firstWriteNanos, long[] deltaNanos, int deltas,
                long lastByteNanos) {}

    private static final Line END = new Line("", "", "", "", 0, null, false, 0, 0, 0, new long[0], 0, 0);

    private final BlockingQueue<Line> queue;
    private final BufferedWriter out;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final Path file;
    private boolean closed;

    private TraceLog() {
        queue = null;
        out = null;
        writer = null;
        file = null;
        closed = true;
    }

    private TraceLog(Path file, Clock clock) throws IOException {
        this.file = file;
        this.queue = new ArrayBlockingQueue<>(QUEUE_LINES);
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write the trace file " + file + ": " + e.getMessage(), e);
        }
        // the anchor: both clocks read back to back, so a monotonic time t is wall-clock
        // anchor_epoch_ns + (t - anchor_mono_ns); the tightest of a few tries (the first reads are cold)
        long mono = 0;
        long mono2 = Long.MAX_VALUE;
        Instant wall = null;
        for (int i = 0; i < ANCHOR_TRIES; i++) {
            long before = clock.nanoTime();
            Instant at = clock.now();
            long after = clock.nanoTime();
            if (after - before < mono2 - mono || wall == null) {
                mono = before;
                mono2 = after;
                wall = at;
            }
        }
        ObjectNode anchor = Json.object().put("trace", "sonde-emulator").put("version", 1)
                .put("clock", "System.nanoTime").put("anchor_mono_ns", mono + (mono2 - mono) / 2)
                .put("anchor_epoch_ns", wall.getEpochSecond() * 1_000_000_000L + wall.getNano())
                .put("anchor_uncertainty_ns", mono2 - mono).put("pid", ProcessHandle.current().pid());
        out.write(anchor.toString());
        out.write('\n');
        out.flush();
        writer = Thread.ofPlatform().daemon().name("sonde-emulator-trace").start(this::drain);
    }

    /** Opens {@code file} (created or truncated) and writes its anchor line; null → {@link #NONE}. */
    static TraceLog open(Path file, Clock clock) throws IOException {
        return file == null ? NONE : new TraceLog(file, clock);
    }

    boolean enabled() {
        return this != NONE;
    }

    /** Queues a line; never blocks (a full queue drops it and counts it). */
    void offer(Line line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped because the writer fell behind. */
    long dropped() {
        return dropped.get();
    }

    private void drain() {
        try {
            while (true) {
                Line line = queue.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    out.flush();
                    continue;
                }
                if (line == END) {
                    break;
                }
                out.write(json(line));
                out.write('\n');
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException e) {
            LOG.warn("emulator trace {} stopped: {}", file, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String json(Line line) {
        ObjectNode o = Json.object().put("request_id", line.requestId()).put("method", line.method())
                .put("path", line.path()).put("route", line.route()).put("status", line.status()).put("stream", line.stream());
        if (line.errorType() != null) {
            o.put("error", line.errorType());
        }
        o.put("headers_ns", line.headersNanos());
        if (line.bodyNanos() >= 0) {
            o.put("body_ns", line.bodyNanos());
        }
        o.put("first_write_ns", line.firstWriteNanos());
        if (line.deltas() > 0) {
            o.put("first_delta_ns", line.deltaNanos()[0]);
        }
        o.put("deltas", line.deltas());
        ArrayNode each = o.putArray("delta_ns");
        for (long t : line.deltaNanos()) {
            each.add(t);
        }
        o.put("last_byte_ns", line.lastByteNanos());
        return o.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(END);
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("emulator trace " + file + " could not be closed", e);
        }
        if (dropped.get() > 0) {
            LOG.warn("emulator trace {}: {} requests not traced (the writer fell behind)", file, dropped.get());
        }
    }
}
