package dev.sonde.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The emulated server's capacity: per model (glob, first match wins) at most {@code maxConcurrent}
 * responses are generated at once; further requests queue before their first byte, as on a
 * saturated inference server, so their TTFB and TTFT grow with the queue. A load sweep against it
 * shows a knee: throughput flattens once concurrency passes the capacity while latency climbs.
 * Models with no entry are unlimited. Thread-safe.
 */
final class Capacity {

    /** One entry of the config's {@code capacity:} list. */
    record Limit(String model, int maxConcurrent) {
        Limit {
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("capacity for '" + model + "': max_concurrent must be >= 1");
            }
        }
    }

    private record Slot(Glob model, Semaphore permits) {}

    private final List<Slot> slots = new ArrayList<>();

    Capacity(List<Limit> limits) {
        for (Limit l : limits) {
            slots.add(new Slot(Glob.of(l.model()), new Semaphore(l.maxConcurrent(), true)));
        }
    }

    /** Waits for a generation slot for {@code model}; returns the semaphore to release, or null if unlimited. */
    Semaphore acquire(String model) throws InterruptedException {
        for (Slot s : slots) {
            if (s.model().matches(model)) {
                s.permits().acquire();
                return s.permits();
            }
        }
        return null;
    }
}
