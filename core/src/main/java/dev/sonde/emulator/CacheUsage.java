package dev.sonde.emulator;

/**
 * The input side of {@code usage} (API-SPEC §3.4, §7.3): {@code inputTokens} are the uncached
 * tokens after the last cache breakpoint (plus everything when nothing was cached),
 * {@code cacheCreation5m} / {@code cacheCreation1h} the tokens written to the cache per TTL, and
 * {@code cacheRead} the tokens read from it. The four add up to the prompt's total input tokens.
 */
record CacheUsage(int inputTokens, int cacheCreation5m, int cacheCreation1h, int cacheRead) {

    /** Nothing cached: every token is an input token. */
    static CacheUsage none(int totalInputTokens) {
        return new CacheUsage(totalInputTokens, 0, 0, 0);
    }

    int cacheCreation() {
        return cacheCreation5m + cacheCreation1h;
    }

    int total() {
        return inputTokens + cacheCreation5m + cacheCreation1h + cacheRead;
    }
}
