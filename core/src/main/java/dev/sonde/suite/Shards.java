package dev.sonde.suite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Splits a plan for CI matrices ({@code --shard k/n}): trials are ordered by a hash of their stable
 * id and dealt round-robin, so every shard gets the same number of trials (±1), a trial's shard
 * depends only on the plan, and the n shards together are exactly the plan. Repeats of one case
 * spread over shards like any other trial; a cache variant's sequence stays whole in one shard.
 */
public final class Shards {
    private Shards() {}

    /** A parsed {@code k/n} (1 ≤ k ≤ n). */
    public record Shard(int index, int count) {
        public Shard {
            if (count < 1 || index < 1 || index > count) {
                throw new IllegalArgumentException("a shard is k/n with 1 <= k <= n, e.g. 2/4");
            }
        }

        public static Shard parse(String text) {
            String[] parts = text.strip().split("/");
            try {
                if (parts.length == 2) {
                    return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("'" + text + "' is not a shard: use k/n, e.g. 2/4");
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    /** The trials of {@code shard}, in plan order. */
    public static List<Trial> select(List<Trial> plan, Shard shard) {
        List<String> byHash = new ArrayList<>(new java.util.LinkedHashSet<>(plan.stream().map(Shards::unit).toList()));
        byHash.sort(Comparator.comparing(Shards::hash).thenComparing(Comparator.naturalOrder()));
        java.util.Set<String> mine = new java.util.HashSet<>();
        for (int i = shard.index() - 1; i < byHash.size(); i += shard.count()) {
            mine.add(byHash.get(i));
        }
        return plan.stream().filter(t -> mine.contains(unit(t))).toList();
    }

    /** What is dealt: a trial, or a cache variant's whole sequence (its cache state is one story). */
    private static String unit(Trial t) {
        return t.variant() == null ? t.id() : t.sequence();
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
