package dev.sonde.metrics;

/** A deliberate back edge (the floor reaching up to the CLI), for the room rule's own test only. */
final class BackEdgeExample {
    static String describe(dev.sonde.cli.Main main) {
        return main.toString();
    }
}
