package dev.sonde.session;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Full collections at the two moments of a run with nothing in flight: once it is set up (suite
 * loaded, plan digested, {@code run.json} written, checks built; before the first request) and
 * once its last trial is in (before the outputs are written). Only in a process that runs the
 * serial collector, as {@code ./sonde} and a plain {@code java -jar} start it, and only when the
 * command line turns it on ({@link #enable}): the Maven gate runs inside Maven's JVM, whose heap
 * is not the run's.
 *
 * <p>Why: the JVM starts with a heap of 1/64 of the machine's memory, so the old generation of a
 * run never fills, and what setting up and the trials promoted into it is never collected: every
 * page once touched stays resident. A collection at each of these points puts what the next phase
 * promotes onto pages already counted, instead of new ones (100,000 cases: see README
 * "Performance"), and pauses no request.
 */
public final class Compaction {
    private static volatile boolean enabled;

    private Compaction() {}

    /** Turns the collections on for this process (the command line does, for its runs). */
    public static void enable() {
        enabled = true;
    }

    /** A full collection now, when enabled and the collector is the serial one. */
    static void now() {
        if (enabled && serial()) {
            System.gc();
        }
    }

    private static boolean serial() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().equals("MarkSweepCompact")) {
                return true;
            }
        }
        return false;
    }
}
