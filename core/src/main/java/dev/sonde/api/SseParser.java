package dev.sonde.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental Server-Sent Events parser (WHATWG rules): feed it byte chunks as they arrive,
 * it calls the listener once per complete event with the timestamp of the chunk that completed
 * it. Lines end with LF, CRLF or CR (also when a CRLF is split across chunks); {@code :} lines are
 * comments; one space after the field colon is dropped; several {@code data:} lines join with
 * LF; {@code id}/{@code retry} are ignored. An event with no {@code data} is not dispatched.
 * Not thread-safe: one parser per stream.
 */
public final class SseParser {

    /** Receives each event. {@code event} is null when the event had no {@code event:} line. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(String event, String data, long arrivalNanos);
    }

    private final Listener listener;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private String eventName;
    private final StringBuilder data = new StringBuilder(256);
    private boolean hasData;

    public SseParser(Listener listener) {
        this.listener = listener;
    }

    /** Consumes all remaining bytes of {@code chunk}. */
    public void feed(ByteBuffer chunk, long arrivalNanos) {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (b == '\n') {
                if (!lastWasCr) {
                    endLine(arrivalNanos);
                }
                lastWasCr = false;
            } else if (b == '\r') {
                endLine(arrivalNanos);
                lastWasCr = true;
            } else {
                lastWasCr = false;
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[lineLength++] = b;
            }
        }
    }

    /** Whether bytes of an unfinished event are pending (a stream that ended here was cut). */
    public boolean midEvent() {
        return lineLength > 0 || hasData || eventName != null;
    }

    private void endLine(long arrivalNanos) {
        int len = lineLength;
        lineLength = 0;
        if (len == 0) {
            dispatch(arrivalNanos);
            return;
        }
        if (line[0] == ':') {
            return;
        }
        int colon = indexOf(line, len, (byte) ':');
        int nameEnd = colon < 0 ? len : colon;
        int valueStart = colon < 0 ? len : colon + 1;
        if (valueStart < len && line[valueStart] == ' ') {
            valueStart++;
        }
        if (is(line, nameEnd, "data")) {
            if (hasData) {
                data.append('\n');
            }
            data.append(new String(line, valueStart, len - valueStart, StandardCharsets.UTF_8));
            hasData = true;
        } else if (is(line, nameEnd, "event")) {
            eventName = new String(line, valueStart, len - valueStart, StandardCharsets.UTF_8);
        }
    }

    private void dispatch(long arrivalNanos) {
        if (hasData) {
            String d = data.toString();
            String name = eventName;
            data.setLength(0);
            hasData = false;
            eventName = null;
            listener.onEvent(name, d, arrivalNanos);
        } else {
            eventName = null;
        }
    }

    private static int indexOf(byte[] bytes, int len, byte target) {
        for (int i = 0; i < len; i++) {
            if (bytes[i] == target) {
                return i;
            }
        }
        return -1;
    }

    private static boolean is(byte[] bytes, int len, String ascii) {
        if (len != ascii.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (bytes[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
