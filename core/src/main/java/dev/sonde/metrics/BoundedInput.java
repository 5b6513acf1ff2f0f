package dev.sonde.metrics;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that refuses to give more than a limit, in all and in any one line (the bytes between
 * two {@code \n}), for input that comes from outside: a file that grows while it is read, a server
 * that never stops sending. It reads at most one byte past a limit from the stream beneath, then
 * fails with {@link BoundedFiles.Refused}, whose message names what is read and, for a line, its
 * number; so a line reader over it never holds more than one line's limit. Not thread-safe.
 */
public final class BoundedInput extends FilterInputStream {
    private final String what;
    private final long max;
    private final long maxLine;
    private long total;
    private long lineBytes;
    private long line = 1;

    private BoundedInput(InputStream in, String what, long max, long maxLine) {
        super(in);
        this.what = what;
        this.max = max;
        this.maxLine = maxLine;
    }

    /**
     * {@code in}, refused past {@code max} bytes in all or {@code maxLineBytes} in a line
     * ({@link Long#MAX_VALUE}: no bound); {@code what} names it in the refusal ("a file", "an endpoint's
     * batch results").
     */
    public static InputStream of(InputStream in, String what, long max, long maxLineBytes) {
        return new BoundedInput(in, what, max, maxLineBytes);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // never more than one byte past either limit from the stream beneath
        long room = Math.min(max - total, maxLine == Long.MAX_VALUE ? Long.MAX_VALUE : maxLine - lineBytes) + 1;
        int n = super.read(b, off, (int) Math.min(len, room)); // room is at least 1
        if (n <= 0) {
            return n;
        }
        total += n;
        if (total > max) {
            throw new BoundedFiles.Refused(what + ": more than " + max + " bytes");
        }
        for (int i = off; i < off + n; i++) {
            if (b[i] == '\n') {
                line++;
                lineBytes = 0;
            } else if (++lineBytes > maxLine) {
                throw new BoundedFiles.Refused(what + ":" + line + ": a line of more than " + maxLine + " bytes");
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
