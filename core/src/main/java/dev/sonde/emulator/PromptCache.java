package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prompt caching as a harness can observe it (API-SPEC §7, API-NOTES "Prompt caching").
 *
 * <ul>
 *   <li>Entries are keyed by API key, model and a chained SHA-256 over the canonical blocks
 *       ({@link PromptBlock#keyText()}) in {@code tools → system → messages} order, so a key
 *       covers the exact prefix up to and including its block; {@code tool_choice} and
 *       {@code thinking} are mixed in before the first message block (changing them misses
 *       every message-level entry, as the API's invalidation rules say).</li>
 *   <li>Breakpoints are the blocks with {@code cache_control}, plus, for a top-level
 *       {@code cache_control}, the last cacheable block. More than {@value #MAX_BREAKPOINTS}, or
 *       a {@code 1h} breakpoint after a {@code 5m} one, is a 400.</li>
 *   <li>Lookup: from each breakpoint back over {@value #LOOKBACK_BLOCKS} positions (the
 *       breakpoint included) for a live entry; the longest hit is A. Writes: every breakpoint
 *       whose prefix is longer than A and at least the model's minimum; C is the longest such
 *       prefix, B the longest 1h one. Usage is read = A, 1h = B − A, 5m = C − B, input = total −
 *       max(A, C).</li>
 *   <li>Time is the injected {@link Clock}: an entry lives 5 min or 1 h from the start of the
 *       request that wrote it, and every hit extends it by its TTL from the reading request's
 *       start. Writes become readable only at {@link #commit}: the handler calls it when the
 *       writing response's modelled prefill is over — a stream at its first content delta (not
 *       at the early {@code message_start}), a JSON answer just before its first byte
 *       ({@link Delivery}) — so identical requests in flight together all write ("write
 *       storms").</li>
 * </ul>
 * {@link #plan} changes nothing; {@link #refresh} and {@link #commit} apply a plan. Expired
 * entries are pruned once the store passes {@value #PRUNE_ABOVE} entries. Thread-safe.
 */
final class PromptCache {
    static final int MAX_BREAKPOINTS = 4;
    static final int LOOKBACK_BLOCKS = 20;
    static final long TTL_5M_NANOS = 300_000_000_000L;
    static final long TTL_1H_NANOS = 3_600_000_000_000L;
    static final int PRUNE_ABOVE = 200_000;

    private record Entry(long expiresAtNanos, long ttlNanos) {}

    record Breakpoint(int block, String ttl) {}

    record Write(String key, long ttlNanos) {}

    /** What one request reads and writes; {@code startNanos} is the request's start on the clock. */
    record Plan(CacheUsage usage, List<String> hits, List<Write> writes, long startNanos) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final CacheMinimums minimums;

    PromptCache(Clock clock, CacheMinimums minimums) {
        this.clock = clock;
        this.minimums = minimums;
    }

    /** The minimum cacheable prefix for {@code model}: the first matching entry, else 0. */
    int minimumFor(String model) {
        return minimums.minTokens(model);
    }

    /** The request's breakpoints in prefix order, validated as the API does (400 otherwise). */
    static List<Breakpoint> breakpoints(MessagesRequest request) {
        List<PromptBlock> blocks = request.blocks();
        List<Breakpoint> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).ttl() != null) {
                out.add(new Breakpoint(i, blocks.get(i).ttl()));
            }
        }
        JsonNode automatic = request.body().get("cache_control");
        if (automatic != null && !automatic.isNull()) {
            if (!"ephemeral".equals(automatic.path("type").asText())) {
                throw ApiError.invalid("cache_control.type: Input should be 'ephemeral'");
            }
            String ttl = automatic.path("ttl").asText("5m");
            if (!ttl.equals("5m") && !ttl.equals("1h")) {
                throw ApiError.invalid("cache_control.ttl: Input should be '5m' or '1h'");
            }
            int last = blocks.size() - 1;
            while (last >= 0 && !blocks.get(last).cacheable()) {
                last--;
            }
            if (last >= 0 && blocks.get(last).ttl() != null && !blocks.get(last).ttl().equals(ttl)) {
                throw ApiError.invalid("cache_control: the last block already has a cache_control with ttl='"
                        + blocks.get(last).ttl() + "', which conflicts with the top-level ttl='" + ttl + "'");
            }
            if (last >= 0 && blocks.get(last).ttl() == null) {
                out.add(new Breakpoint(last, ttl));
            }
        }
        if (out.size() > MAX_BREAKPOINTS) {
            throw ApiError.invalid("A maximum of " + MAX_BREAKPOINTS + " blocks with cache_control may be provided. Found "
                    + out.size() + ".");
        }
        boolean seen5m = false;
        for (Breakpoint bp : out) {
            if (bp.ttl().equals("1h") && seen5m) {
                String path = blocks.get(bp.block()).ttl() == null ? "" : blocks.get(bp.block()).path() + ".";
                throw ApiError.invalid(path + "cache_control.ttl: a ttl='1h' cache_control block must not come after a "
                        + "ttl='5m' cache_control block. Note that blocks are processed in the following order: "
                        + "`tools`, `system`, `messages`.");
            }
            seen5m |= bp.ttl().equals("5m");
        }
        return out;
    }

    /** What {@code request} would read and write for {@code apiKey} now; changes nothing. */
    Plan plan(String apiKey, MessagesRequest request) {
        List<Breakpoint> bps = breakpoints(request);
        long now = clock.nanoTime();
        if (bps.isEmpty()) {
            return new Plan(CacheUsage.none(request.inputTokens()), List.of(), List.of(), now);
        }
        List<PromptBlock> blocks = request.blocks();
        int last = bps.getLast().block();
        int[] prefix = new int[last + 1];
        String[] keys = new String[last + 1];
        MessageDigest chain = sha256();
        chain.update((apiKey + "\u0000" + request.model()).getBytes(StandardCharsets.UTF_8));
        String context = "\u0000" + canonical(request.body().get("tool_choice")) + canonical(request.body().get("thinking"));
        boolean contextMixed = false;
        for (int i = 0; i <= last; i++) {
            PromptBlock block = blocks.get(i);
            prefix[i] = (i == 0 ? 0 : prefix[i - 1]) + block.tokens();
            if (!contextMixed && block.path().startsWith("messages.")) {
                chain.update(context.getBytes(StandardCharsets.UTF_8));
                contextMixed = true;
            }
            chain.update(("\u0000" + block.keyText()).getBytes(StandardCharsets.UTF_8));
            keys[i] = HexFormat.of().formatHex(digestOf(chain));
        }
        int read = 0;
        List<String> hits = new ArrayList<>();
        for (Breakpoint bp : bps) {
            for (int j = bp.block(); j >= Math.max(0, bp.block() - LOOKBACK_BLOCKS + 1); j--) {
                Entry entry = entries.get(keys[j]);
                if (entry != null && entry.expiresAtNanos() > now) {
                    hits.add(keys[j]);
                    read = Math.max(read, prefix[j]);
                    break;
                }
            }
        }
        int minimum = minimumFor(request.model());
        int c = read;
        int b = read;
        List<Write> writes = new ArrayList<>();
        for (Breakpoint bp : bps) {
            int tokens = prefix[bp.block()];
            if (tokens > read && tokens >= minimum) {
                boolean hour = bp.ttl().equals("1h");
                writes.add(new Write(keys[bp.block()], hour ? TTL_1H_NANOS : TTL_5M_NANOS));
                c = Math.max(c, tokens);
                if (hour) {
                    b = Math.max(b, tokens);
                }
            }
        }
        CacheUsage usage = new CacheUsage(request.inputTokens() - c, c - b, b - read, read);
        return new Plan(usage, List.copyOf(hits), List.copyOf(writes), now);
    }

    /** Extends every entry the plan read by its TTL from the reading request's start. */
    void refresh(Plan plan) {
        for (String key : plan.hits()) {
            entries.computeIfPresent(key, (k, e) ->
                    new Entry(Math.max(e.expiresAtNanos(), plan.startNanos() + e.ttlNanos()), e.ttlNanos()));
        }
    }

    /** Makes the plan's writes readable, each living its TTL from the writing request's start. */
    void commit(Plan plan) {
        if (plan.writes().isEmpty()) {
            return;
        }
        if (entries.size() > PRUNE_ABOVE) {
            long now = clock.nanoTime();
            entries.values().removeIf(e -> e.expiresAtNanos() <= now);
        }
        for (Write write : plan.writes()) {
            Entry fresh = new Entry(plan.startNanos() + write.ttlNanos(), write.ttlNanos());
            entries.merge(write.key(), fresh, (old, neu) -> neu.expiresAtNanos() >= old.expiresAtNanos() ? neu : old);
        }
    }

    private static String canonical(JsonNode node) {
        return node == null || node.isNull() ? "null" : Json.canonical(node);
    }

    private static byte[] digestOf(MessageDigest chain) {
        try {
            return ((MessageDigest) chain.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable in every JDK", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
