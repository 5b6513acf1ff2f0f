package dev.sonde.journal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.suite.CacheVariant;
import dev.sonde.suite.SequenceSpec;
import dev.sonde.suite.Suite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code variants.json}: the cache variants of a run as they were sent — each variant's
 * placements and sequence — written beside {@code trials.jsonl} when the run starts, so reports
 * (and {@code sonde report}, {@code sonde merge}) analyse the journal without the suite file.
 *
 * @param virtualTime true when inter-arrival gaps were skipped on a virtual clock (offline)
 * @param coolDownS virtual seconds skipped between sequences so each starts with a cold cache
 *     (the longest TTL placed + 1 s); 0 for a live run
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SequenceManifest(int formatVersion, boolean virtualTime, double coolDownS, List<Variant> variants) {
    public static final String FILE = "variants.json";
    static final int FORMAT_VERSION = 1;

    /**
     * One variant: {@code layout} in plain words, and its sequence.
     *
     * @param layout the placements in plain words, e.g. {@code 1h TTL on system + 5m TTL on document}
     * @param interArrivalS the gaps between arrivals, in seconds, used in order and repeated
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Variant(String id, String description, String layout, List<Placement> placements, int requests,
            List<Double> interArrivalS, int concurrency, boolean warmup) {

        /** The sequence these fields describe. */
        @JsonIgnore
        public SequenceSpec sequence() {
            return new SequenceSpec(requests, interArrivalS.stream().map(s -> Duration.ofNanos(Math.round(s * 1e9))).toList(),
                    concurrency, warmup);
        }

        /** The shortest TTL placed, in seconds, or null without caching. */
        @JsonIgnore
        public Double shortestTtlS() {
            return placements.stream().map(p -> CacheVariant.lifetimeOf(p.ttl()).toNanos() / 1e9)
                    .min(Double::compare).orElse(null);
        }
    }

    /**
     * One breakpoint of a variant, as the suite wrote it ({@link CacheVariant.Placement}).
     *
     * @param at the block marked: {@code tools}, {@code system}, {@code document}, {@code last_user} or
     *     {@code messages[N].content[K]}
     * @param ttl {@code 5m} or {@code 1h}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Placement(String at, String ttl) {}

    /**
     * The manifest of {@code suite}'s variants, in suite order. With {@code virtualTime} the cool-down
     * between sequences is the longest TTL placed plus 1 s (0 without caching); a live run has none.
     */
    public static SequenceManifest of(Suite suite, boolean virtualTime) {
        Duration longest = Duration.ZERO;
        List<Variant> variants = new java.util.ArrayList<>();
        for (CacheVariant v : suite.variants()) {
            for (CacheVariant.Placement p : v.placements()) {
                longest = longest.compareTo(p.lifetime()) < 0 ? p.lifetime() : longest;
            }
            SequenceSpec s = v.sequence();
            variants.add(new Variant(v.id(), v.description(), v.describe(),
                    v.placements().stream().map(p -> new Placement(p.at(), p.ttl())).toList(), s.requests(),
                    s.interArrival().stream().map(d -> d.toNanos() / 1e9).toList(), s.concurrency(), s.warmup()));
        }
        double coolDown = virtualTime && !longest.isZero() ? longest.plusSeconds(1).toNanos() / 1e9 : 0;
        return new SequenceManifest(FORMAT_VERSION, virtualTime, coolDown, List.copyOf(variants));
    }

    /** Nanoseconds skipped between two sequences. */
    @JsonIgnore
    public long coolDownNanos() {
        return Math.round(coolDownS * 1e9);
    }

    /** The variant with {@code variants[].id} equal to {@code id}, or empty when the run planned none by that id. */
    public Optional<Variant> variant(String id) {
        return variants.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    /** Writes this manifest to {@value #FILE} in {@code dir}, all-or-nothing ({@link AtomicFile}). */
    public void write(Path dir) throws IOException {
        String text = Journal.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        AtomicFile.write(dir.resolve(FILE), out -> out.write(text));
    }

    /** The manifest of the run in {@code dir}, or empty when it had no variants. */
    public static Optional<SequenceManifest> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(Journal.JSON.readValue(file.toFile(), SequenceManifest.class));
    }
}
