package dev.sonde.session;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Compacts the old generation between the phases of a large run, when Sonde runs on the serial
 * collector (as {@code ./sonde} and a plain {@code java -jar} start it). A phase's working set —
 * the load's parsed dataset and plan digest, the requests in flight — outlives a few young
 * collections while it is built, so it is promoted, and dies in the old generation, which a run
 * never fills and so never collects. The pages it touched stay in the process's memory. Compacted
 * once when the plan is made and once when the last trial is in (~20–30 ms each at 100,000
 * trials), the next phase's promotions reuse those pages instead of touching new ones. Measured at
 * 100,000 distinct cases with the launcher's flags (which make a full collection compact
 * completely): peak RSS 190 MB with both, 193 MB with the first only, 201 MB with neither.
 *
 * <p>Not on other collectors (the user chose them, and they return memory their own way), and
 * not for small plans, where there is little to compact and the pause would be most of the phase.
 */
final class OldGeneration {
    /** Plans smaller than this are left alone. */
    static final int MIN_TRIALS = 2_000;

    private OldGeneration() {}

    /** Compacts the old generation if the collector is the serial one and the plan has {@code trials} ≥ {@link #MIN_TRIALS}. */
    static void compactAfterPhase(int trials) {
        if (trials >= MIN_TRIALS && worthIt(CollectorNames.ALL, trials)) {
            System.gc();
        }
    }

    /** The JVM's collectors, looked up at the first large plan (the management beans take a few ms to load). */
    private static final class CollectorNames {
        static final List<String> ALL = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList();
    }

    /** Whether to compact: {@code collectors} (the JVM's collector beans) are the serial collector's, and the plan is large. */
    static boolean worthIt(List<String> collectors, int trials) {
        return collectors.contains("MarkSweepCompact") && trials >= MIN_TRIALS;
    }
}
