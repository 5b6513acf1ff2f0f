package dev.sonde.cli;

import dev.sonde.run.RunStop;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

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

    private final RunStop stop;
    private final Runnable first;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final AtomicReference<Signal> received = new AtomicReference<>();
    /** Whether this instance installed the handlers (one run of a JVM at a time does). */
    private boolean owner;
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

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
        signals.owner = true;
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                signals.previous.put(signal, Signal.handle(signal, signals::received));
            } catch (IllegalArgumentException reservedByTheJvm) {
                // -Xrs: the JVM does not handle it, and neither do we
            }
        }
        return signals;
    }

    /** What a signal does: the first stops the run, a second ends the process now. */
    void received(Signal signal) {
        if (!received.compareAndSet(null, signal)) {
            Runtime.getRuntime().halt(exitCode(signal));
            return;
        }
        first.run();
        stop.request(reason(signal));
    }

    /** The first signal received, or null. */
    Signal signal() {
        return received.get();
    }

    /** The run stop's reason for {@code signal}: {@code interrupted (SIGINT)}. */
    static String reason(Signal signal) {
        return "interrupted (SIG" + signal.getName().toUpperCase(Locale.ROOT) + ")";
    }

    /** The exit code of a command {@code signal} stopped: 128 + its number (SIGINT 130, SIGTERM 143). */
    static int exitCode(Signal signal) {
        return 128 + signal.getNumber();
    }

    /** Puts back the handlers that were there before (the JVM's). */
    @Override
    public void close() {
        if (owner) {
            previous.forEach(Signal::handle);
            INSTALLED.set(false);
        }
    }
}
