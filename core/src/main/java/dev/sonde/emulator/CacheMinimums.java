package dev.sonde.emulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The minimum cacheable prefix per model as the emulator applies it: a config's
 * {@code cache_minimums} first, then the built-in table ({@code cache_minimums} in
 * {@code dev/sonde/emulator/defaults.yaml}, from API-NOTES "Prompt caching"); the first matching
 * entry wins, and a model no entry matches has none (0). Public so that other tools (the cache
 * lint) use the very table the emulator enforces ({@link PromptCache} asks this class). Immutable.
 */
public final class CacheMinimums {
    private final List<CacheMinimum> entries;
    private final List<Glob> globs;

    private CacheMinimums(List<CacheMinimum> entries) {
        this.entries = List.copyOf(entries);
        this.globs = this.entries.stream().map(e -> Glob.of(e.model())).toList();
    }

    /** The built-in table alone: the API's documented minimums. */
    public static CacheMinimums builtIn() {
        return new CacheMinimums(Models.builtIn().defaultCacheMinimums());
    }

    /** {@code config}'s entries, then the built-in table: what an emulator started with it enforces. */
    public static CacheMinimums of(EmulatorConfig config) {
        List<CacheMinimum> all = new ArrayList<>(config.cacheMinimums());
        all.addAll(Models.builtIn().defaultCacheMinimums());
        return new CacheMinimums(all);
    }

    /** The minimum prefix, in tokens, that caching stores for {@code model}; 0 when no entry matches. */
    public int minTokens(String model) {
        for (int i = 0; i < entries.size(); i++) {
            if (globs.get(i).matches(model)) {
                return entries.get(i).minTokens();
            }
        }
        return 0;
    }
}
