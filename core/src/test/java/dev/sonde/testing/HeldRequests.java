package dev.sonde.testing;

import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Response;

/**
 * A {@link StubServer} script for a run with requests in flight for as long as a test needs: the
 * first {@code answered} requests are answered at once, each later one is held until {@link #open()}
 * (then answered too). Close it ({@link #open()}) before the server, so no handler is left waiting:
 * {@code try (StubServer server = StubServer.start(held); HeldRequests opened = held)}. Thread-safe.
 */
public final class HeldRequests implements StubServer.Script, AutoCloseable {
    private final int answered;
    private final StubServer.Script answer;
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch held;
    private final Semaphore gate = new Semaphore(0);
    private volatile boolean open;

    /**
     * @param holding how many held requests {@link #awaitHeld} waits for
     * @param answer how each request is answered once it may be
     */
    public HeldRequests(int answered, int holding, StubServer.Script answer) {
        this.answered = answered;
        this.held = new CountDownLatch(holding);
        this.answer = answer;
    }

    @Override
    public void answer(StubServer.Received request, Response response, OutputStream out) throws Exception {
        if (calls.incrementAndGet() > answered && !open) {
            held.countDown();
            gate.acquire();
        }
        answer.answer(request, response, out);
    }

    /** Waits until {@code holding} requests are held; false after {@code seconds}. */
    public boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    /** Requests received so far, held ones included. */
    public int calls() {
        return calls.get();
    }

    /** Answers the held requests and every later one at once. */
    public void open() {
        open = true;
        gate.release(Integer.MAX_VALUE / 2);
    }

    /** {@link #open()}. */
    @Override
    public void close() {
        open();
    }
}
