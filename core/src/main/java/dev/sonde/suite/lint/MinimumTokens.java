package dev.sonde.suite.lint;

import dev.sonde.suite.ModelSpec;

/**
 * The smallest prompt prefix, in tokens, that prompt caching stores for a model (API-NOTES
 * "Prompt caching": a shorter prefix is silently not cached). The CLI supplies the emulator's table
 * ({@code cache_minimums} in {@code dev/sonde/emulator/defaults.yaml}, with a suite's emulator
 * config first when the model runs on the emulator), so the lint and the emulator agree.
 */
@FunctionalInterface
public interface MinimumTokens {
    /** The minimum for {@code model}, or 0 when caching has none for it. */
    int of(ModelSpec model);
}
