package dev.sonde.emulator;

/**
 * The smallest prompt prefix (in emulator tokens) that prompt caching stores for models matching
 * {@code model} (an exact id or a glob with {@code *} and {@code ?}). A breakpoint whose prefix is
 * shorter is silently not cached: no write, no error (API-NOTES "Prompt caching"). Config entries
 * are tried before the built-in table in {@code defaults.yaml}; the first match wins.
 */
public record CacheMinimum(String model, int minTokens) {

    public CacheMinimum {
        if (model == null || model.isEmpty()) {
            throw new IllegalArgumentException("cache minimum needs a model id or glob");
        }
        if (minTokens < 0) {
            throw new IllegalArgumentException("cache minimum for '" + model + "': min_tokens must be >= 0");
        }
    }
}
