package dev.sonde.cli;

import dev.sonde.run.RunStop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM while {@code sonde run} runs. The first one stops the run as a
 * budget would ({@link RunStop}: nothing more sent, requests in flight cancelled and journaled as
 * skipped, every report of the partial run written) and the command then ends with one line and
 * exit {@code 128 +} the signal's number (130, 143), as a shell expects of a command a signal
 * stopped. A second one while it stops ends the process at once ({@link Runtime#halt}): no report
 * is written then, but the journal is intact (each line is one write; a torn last line is cut when
 * the run is resumed).
 *
 * <p>The handlers are {@code sun.misc.Signal}'s (module {@code jdk.unsupported}, resolved by default
 * for an application on the class path, no flag needed), installed for the run only and the JVM's
 * own put back by {@link #close()}: every other command, the emulator's included, keeps the JVM's
 * behaviour. One run of a JVM at a time holds them (commands run in one JVM by tests overlap). A shutdown hook was not chosen: it cannot tell SIGINT from SIGTERM, cannot choose the
 * exit code, and would have to hold the JVM's shutdown while reports are written. A signal the
 * process was started ignoring (a shell's background job) stays ignored, and a JVM started with
 * {@code -Xrs} keeps its own handling. Thread-safe.
 */
final class RunSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM"};
    /** Whether a run of this JVM has the handlers (one at a time does). */
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private final RunStop stop;
    private final Runnable first;
    private final List<Runnable> restore = new ArrayList<>();
    private final AtomicReference<Received> received = new AtomicReference<>();

    /** A signal received: its name without {@code SIG} ({@code INT}) and its number (2). */
    record Received(String name, int number) {
        /** The run stop's reason: {@code interrupted (SIGINT)}. */
        String reason() {
            return "interrupted (SIG" + name.toUpperCase(Locale.ROOT) + ")";
        }

        /** The exit code of a command it stopped: 128 + its number (SIGINT 130, SIGTERM 143). */
        int exitCode() {
            return 128 + number;
        }
    }

    private RunSignals(RunStop stop, Runnable first) {
        this.stop = stop;
        this.first = first;
    }

    /**
     * Handles SIGINT and SIGTERM until closed.
     *
     * @param stop what the first signal asks, with the reason {@code "interrupted (SIGINT)"} or
     *     {@code "interrupted (SIGTERM)"}
     * @param first run on the first signal before the stop is asked (the console falls silent)
     */
    static RunSignals install(RunStop stop, Runnable first) {
        RunSignals signals = new RunSignals(stop, first);
        if (!INSTALLED.compareAndSet(false, true)) {
            return signals; // another run of this JVM has them (tests): this one hears none
        }
        signals.restore.add(() -> INSTALLED.set(false));
        for (String name : NAMES) {
            try {
                var signal = new Signal(name);
                var previous = Signal.handle(signal, s -> signals.received(new Received(s.getName(), s.getNumber())));
                signals.restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException reservedByTheJvm) {
                // -Xrs: the JVM does not handle it, and neither do we
            }
        }
        return signals;
    }

    /** What a signal does: the first stops the run, a second ends the process now. */
    void received(Received signal) {
        if (!received.compareAndSet(null, signal)) {
            Runtime.getRuntime().halt(signal.exitCode());
            return;
        }
        first.run();
        stop.request(signal.reason());
    }

    /** The first signal received, or null. */
    Received signal() {
        return received.get();
    }

    /** Puts back the handlers that were there before (the JVM's). */
    @Override
    public void close() {
        for (int i = restore.size() - 1; i >= 0; i--) {
            restore.get(i).run();
        }
    }
}
