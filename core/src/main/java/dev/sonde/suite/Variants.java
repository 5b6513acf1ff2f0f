package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds a suite's {@code variants:} and {@code sequence:} (already schema-valid) to
 * {@link CacheVariant}s, and checks what the schema cannot: unique ids, known placements, at most
 * {@value CachePlacement#MAX_BREAKPOINTS} of them, no combination with {@code load:}, {@code compare:},
 * batch mode or {@code run.repeat}, and — once the suite is bound — that every placement names a block of every
 * case × model's request ({@link #check}). Errors are {@link SuiteException}s at the offending node.
 */
final class Variants {
    private Variants() {}

    /** The variants in suite order; empty when the suite has no {@code variants:}. */
    static List<CacheVariant> bind(Path file, JsonNode root) throws SuiteException {
        JsonNode list = root.get("variants");
        if (list == null) {
            if (root.has("sequence")) {
                throw new SuiteException(SuiteLoader.locate(file, root.get("sequence")), "sequence",
                        "a sequence drives cache variants: add a 'variants:' list");
            }
            return List.of();
        }
        if (root.has("load")) {
            throw new SuiteException(SuiteLoader.locate(file, root.get("load")), "load",
                    "a suite with variants cannot also be a load benchmark: use two suites");
        }
        if (root.has("compare")) {
            throw new SuiteException(SuiteLoader.locate(file, root.get("compare")), "compare",
                    "a suite with variants compares cache layouts, not models: its per-model figures would mix every"
                            + " variant's requests, so put 'compare:' in a suite without variants");
        }
        JsonNode run = root.path("run");
        if (run.path("repeat").asInt(1) > 1) {
            throw new SuiteException(SuiteLoader.locate(file, run.get("repeat")), "run.repeat",
                    "a suite with variants repeats through sequence.requests, not run.repeat");
        }
        if (run.path("mode").asText("direct").equals("batch")) {
            throw new SuiteException(SuiteLoader.locate(file, run.get("mode")), "run.mode",
                    "cache variants need timed requests: batch mode cannot honour a sequence");
        }
        SequenceSpec suiteSequence = sequence(root.get("sequence"), SequenceSpec.DEFAULT);
        List<CacheVariant> variants = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i);
            String field = "variants[" + i + "]";
            String id = v.get("id").asText();
            if (!ids.add(id)) {
                throw new SuiteException(SuiteLoader.locate(file, v.get("id")), field + ".id", "duplicate variant id '" + id + "'");
            }
            variants.add(new CacheVariant(id, v.path("description").asText(null),
                    placements(file, v.get("cache"), field + ".cache"), sequence(v.get("sequence"), suiteSequence),
                    SuiteLoader.locate(file, v)));
        }
        return List.copyOf(variants);
    }

    private static List<CacheVariant.Placement> placements(Path file, JsonNode cache, String field)
            throws SuiteException {
        if (cache.isTextual()) {
            if (!cache.asText().equals("none")) {
                throw new SuiteException(SuiteLoader.locate(file, cache), field,
                        "'" + cache.asText() + "' is not a placement list: use none or [{at: system, ttl: 1h}, …]");
            }
            return List.of();
        }
        if (cache.isEmpty()) {
            throw new SuiteException(SuiteLoader.locate(file, cache), field, "an empty list: write 'cache: none' for no caching");
        }
        if (cache.size() > CachePlacement.MAX_BREAKPOINTS) {
            throw new SuiteException(SuiteLoader.locate(file, cache.get(CachePlacement.MAX_BREAKPOINTS)),
                    field + "[" + CachePlacement.MAX_BREAKPOINTS + "]", "at most " + CachePlacement.MAX_BREAKPOINTS
                            + " breakpoints per request (the API's limit)");
        }
        List<CacheVariant.Placement> out = new ArrayList<>();
        for (int j = 0; j < cache.size(); j++) {
            JsonNode at = cache.get(j).get("at");
            if (!CachePlacement.known(at.asText())) {
                throw new SuiteException(SuiteLoader.locate(file, at), field + "[" + j + "].at", "unknown placement '"
                        + at.asText() + "' (expected tools, system, document, last_user or messages[N].content[K])");
            }
            out.add(new CacheVariant.Placement(at.asText(), cache.get(j).path("ttl").asText("5m"),
                    SuiteLoader.locate(file, at)));
        }
        return out;
    }

    /** {@code node}'s keys over {@code base}. */
    private static SequenceSpec sequence(JsonNode node, SequenceSpec base) {
        if (node == null) {
            return base;
        }
        List<Duration> gaps = base.interArrival();
        JsonNode g = node.get("inter_arrival_s");
        if (g != null) {
            List<Duration> read = new ArrayList<>();
            if (g.isArray()) {
                g.forEach(n -> read.add(seconds(n)));
            } else {
                read.add(seconds(g));
            }
            gaps = read;
        }
        return new SequenceSpec(node.path("requests").asInt(base.requests()), gaps,
                node.path("concurrency").asInt(base.concurrency()), node.path("warmup").asBoolean(base.warmup()));
    }

    private static Duration seconds(JsonNode n) {
        return Duration.ofNanos(Math.round(n.asDouble() * 1e9));
    }

    /** Applies every variant to every case × model's body; a placement that fits nowhere is an error at it. */
    static void check(Suite suite) throws SuiteException {
        for (CacheVariant v : suite.variants()) {
            for (CaseSpec c : suite.cases()) {
                for (ModelSpec m : suite.models()) {
                    if (!c.runsOn(m)) {
                        continue;
                    }
                    try {
                        CachePlacement.apply(Plan.body(suite, c, m), v);
                    } catch (CachePlacement.Unplaceable e) {
                        int index = v.placements().indexOf(e.placement());
                        throw new SuiteException(e.placement().location(), "variants[" + suite.variants().indexOf(v)
                                + "].cache[" + index + "].at", e.getMessage() + " in case '" + c.id() + "' on model '"
                                + m.id() + "'");
                    }
                }
            }
        }
    }
}
