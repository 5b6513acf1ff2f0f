package dev.sonde.suite;

import java.nio.file.Path;
import java.util.List;

/**
 * How the embedded emulator answers this suite: its seed, rule files and optional config file,
 * paths already resolved against the suite's folder.
 */
public record EmulatorSpec(long seed, List<Path> rules, Path config) {
    public static final long DEFAULT_SEED = 42;
}
