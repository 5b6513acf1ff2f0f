package dev.sonde.suite;

import java.util.List;

/**
 * One {@code cache_control} layout to benchmark (suite {@code variants:}): where the breakpoints
 * go and with which TTL, applied by {@link CachePlacement} to every case's request body after any
 * {@code cache_control} already there is removed. An empty {@code placements} is "no caching".
 *
 * @param placements in the order written; at most {@value CachePlacement#MAX_BREAKPOINTS}
 * @param sequence how this variant's requests are sent (the suite's, with this variant's overrides)
 */
public record CacheVariant(String id, String description, List<Placement> placements, SequenceSpec sequence,
        Location location) {

    public CacheVariant {
        placements = List.copyOf(placements);
    }

    /**
     * A breakpoint: {@code at} is {@code tools} (the last tool), {@code system} (the last system
     * block), {@code document} (the last {@code document} content block of the messages),
     * {@code last_user} (the last block of the last user message) or {@code messages[N].content[K]};
     * {@code ttl} is {@code 5m} or {@code 1h}.
     */
    public record Placement(String at, String ttl, Location location) {
        public boolean hour() {
            return "1h".equals(ttl);
        }

        /** How long an entry written here lives without a hit: 1 h or 5 min (API-NOTES "Prompt caching"). */
        public java.time.Duration lifetime() {
            return lifetimeOf(ttl);
        }
    }

    /** How long an entry written with {@code ttl} ({@code 5m} or {@code 1h}) lives without a hit. */
    public static java.time.Duration lifetimeOf(String ttl) {
        return "1h".equals(ttl) ? java.time.Duration.ofHours(1) : java.time.Duration.ofMinutes(5);
    }

    public boolean none() {
        return placements.isEmpty();
    }

    /** Plain words for reports: {@code 1h TTL on system + 5m TTL on document}, or {@code no caching}. */
    public String describe() {
        if (placements.isEmpty()) {
            return "no caching";
        }
        StringBuilder sb = new StringBuilder();
        for (Placement p : placements) {
            sb.append(sb.isEmpty() ? "" : " + ").append(p.ttl()).append(" TTL on ").append(p.at());
        }
        return sb.toString();
    }
}
