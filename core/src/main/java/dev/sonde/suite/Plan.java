package dev.sonde.suite;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.metrics.RequestHashes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The expanded matrix of a suite: cases × models × repeats, in that nesting order (all models of
 * a case, then the next case), each a {@link Trial} that builds its case and request body when
 * asked. The plan itself is computed, not stored ({@link PlannedTrials}): it holds a few bytes a
 * case, whatever the number of trials.
 *
 * <p>Body fields: the suite's {@code defaults.params}, overridden by the model's {@code params},
 * overridden by the case's {@code params}; then {@code model}, {@code system}, {@code messages}
 * and {@code stream} set by the harness. {@code max_tokens} defaults to {@value #DEFAULT_MAX_TOKENS}
 * when no level sets it, since the API requires it. A suite with {@code variants:} expands by
 * {@link SequencePlan} instead.
 */
public final class Plan {
    public static final int DEFAULT_MAX_TOKENS = 1024;
    /** The most repeats of a case × model, from a suite's {@code run.repeat} (the schema's bound) or {@code --repeat}. */
    public static final int MAX_REPEAT = 100_000;

    private Plan() {}

    /**
     * {@code suite} with each case × model repeated {@code repeat} times instead of its
     * {@code run.repeat} ({@code sonde run --repeat N}). Everything that reads the repeat count then
     * agrees: the plan and its trial ids, the plan hash (so {@code --resume} and {@code sonde merge}
     * refuse a run made with another count), the shards, and the trials per case an analysis waits
     * for. Equal to {@code suite}'s own plan when {@code repeat} is its {@code run.repeat}.
     *
     * @throws IllegalArgumentException {@code repeat} outside 1 to {@value #MAX_REPEAT}, a benchmark
     *     ({@code load:} runs for a duration, not a number of trials), or more than one repeat of a suite
     *     with cache {@code variants:} (they repeat through {@code sequence.requests}); the message is one
     *     line naming {@code --repeat}
     */
    public static Suite repeated(Suite suite, int repeat) {
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new IllegalArgumentException("--repeat must be from 1 to " + MAX_REPEAT + ", not " + repeat);
        }
        if (suite.load() != null) {
            throw new IllegalArgumentException("--repeat does not apply to a benchmark (load:): its steps run for "
                    + "load.duration_s and send at most load.max_requests; drop --repeat");
        }
        if (!suite.variants().isEmpty() && repeat > 1) {
            throw new IllegalArgumentException("--repeat does not apply to a suite with variants: it repeats through "
                    + "sequence.requests");
        }
        return new Suite(suite.name(), suite.file(), suite.endpoint(), suite.pricing(), suite.models(),
                suite.defaultParams(), suite.cases(), suite.run().withRepeat(repeat), suite.emulator(), suite.baseline(),
                suite.budget(), suite.rateLimits(), suite.load(), suite.grader(), suite.compare(), suite.variants(),
                suite.endpointAt(), suite.history());
    }

    public static List<Trial> expand(Suite suite) {
        if (!suite.variants().isEmpty()) {
            return SequencePlan.expand(suite);
        }
        return new PlannedTrials(suite);
    }

    /**
     * What a run records of its plan at its start: the plan's hash ({@link #hash}) and each
     * request's ({@link #requestHashes}).
     */
    public record Digest(String planHash, Map<String, String> requestHashes) {}

    /**
     * {@link #hash} and {@link #requestHashes} in one pass, each distinct body built and serialised
     * once.
     */
    public static Digest digest(Suite suite, List<Trial> plan) throws IOException {
        MessageDigest sha = sha256();
        sha.update(BoundedFiles.read(suite.file(), SuiteLoader.MAX_SUITE_BYTES));
        // a computed plan lists each case/model's repeats together, and never again: no set of them
        boolean together = plan instanceof PlannedTrials;
        Set<String> seen = together ? null : new HashSet<>();
        // a computed plan has one request per case and model, each with its repeats
        RequestHashes.Builder requests = new RequestHashes.Builder(together ? plan.size() / Math.max(1, suite.run().repeat()) : 256);
        ObjectWriter json = Templates.PLAIN.writer();
        MessageDigest one = sha256();
        Trial previous = null;
        for (Trial t : plan) {
            ObjectNode body = null;
            boolean first;
            if (together) {
                // repeats share a body; a new case or model is a new request
                first = previous == null || !t.sameCase(previous) || !t.model().id().equals(previous.model().id());
                if (first) {
                    body = t.body(); // binds the case first: its id below is then not parsed from its row again
                }
            } else {
                // and so do the requests of one cache variant's sequence
                String request = t.caseId() + "/" + t.model().id();
                first = seen.add(t.variant() == null ? request : request + "/" + t.variant());
            }
            previous = t;
            sha.update(("\n" + t.id() + "\n" + new TreeMap<>(t.headers()) + "\n").getBytes(StandardCharsets.UTF_8));
            if (first) {
                byte[] bytes = json.writeValueAsBytes(body != null ? body : t.body());
                sha.update(bytes);
                requests.add(t.caseId() + "/" + t.model().id(), one.digest(bytes));
            }
        }
        return new Digest("sha256:" + HexFormat.of().formatHex(sha.digest()), requests.build());
    }

    /**
     * How many trials of {@code trials} (a plan, or a shard of one) each case has, for closing a
     * case once they are all in: the count most cases share, and the cases that differ. A whole
     * computed plan answers from the suite (models × repeats, fewer for a case limited to some
     * models) without a map of its cases; any other list is counted.
     */
    public static ToIntFunction<String> trialsPerCase(Suite suite, List<Trial> trials) {
        Map<String, Integer> unusual = new HashMap<>();
        int usual;
        if (trials instanceof PlannedTrials) {
            usual = suite.models().size() * suite.run().repeat();
            for (int c = 0; c < suite.cases().size(); c++) {
                int on = 0;
                for (ModelSpec m : suite.models()) {
                    on += suite.caseRunsOn(c, m) ? 1 : 0;
                }
                if (on != suite.models().size()) {
                    unusual.put(suite.caseId(c), on * suite.run().repeat());
                }
            }
        } else {
            Map<String, Integer> counts = new HashMap<>();
            for (Trial t : trials) {
                counts.merge(t.caseId(), 1, Integer::sum);
            }
            Map<Integer, Integer> howOften = new HashMap<>();
            counts.values().forEach(n -> howOften.merge(n, 1, Integer::sum));
            usual = howOften.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse(Integer.MAX_VALUE);
            counts.forEach((id, n) -> {
                if (n != usual) {
                    unusual.put(id, n);
                }
            });
        }
        int otherwise = usual;
        return id -> unusual.getOrDefault(id, otherwise);
    }

    /**
     * {@code sha256:…} of a suite's file and its whole plan: the file's bytes, then every trial's id
     * and headers in plan order, and each distinct request body once (repeats share theirs). Two runs
     * with the same hash sent the same requests; hash the plan before any {@code --shard} selection,
     * so that every shard of a suite carries the same hash.
     */
    public static String hash(Suite suite, List<Trial> plan) throws IOException {
        return digest(suite, plan).planHash();
    }

    /**
     * {@code case/model} → {@code sha256:…} of the canonical JSON of the first request body the plan
     * builds for it (repeat 0; a cache variant's first request): what the run records at its start
     * ({@code request_hashes} in {@code run.json}), bounded by cases × models.
     */
    public static Map<String, String> requestHashes(List<Trial> plan) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        ObjectWriter json = Templates.PLAIN.writer();
        for (Trial t : plan) {
            String key = t.caseId() + "/" + t.model().id();
            if (!hashes.containsKey(key)) {
                hashes.put(key, sha256(json.writeValueAsBytes(t.body())));
            }
        }
        return hashes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code sha256:} and the hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static ObjectNode body(Suite suite, CaseSpec c, ModelSpec m) {
        ObjectNode body = suite.defaultParams().deepCopy();
        body.setAll(m.params().deepCopy());
        body.setAll(c.params().deepCopy());
        ObjectNode out = body.objectNode();
        out.put("model", m.model());
        if (!body.has("max_tokens")) {
            out.put("max_tokens", DEFAULT_MAX_TOKENS);
        }
        out.setAll(body);
        if (c.system() != null) {
            out.set("system", c.system().deepCopy());
        }
        out.set("messages", c.messages().deepCopy());
        out.put("stream", m.stream());
        return out;
    }
}
