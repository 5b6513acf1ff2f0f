package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The expanded matrix of a suite: cases × models × repeats, in that nesting order (all models of
 * a case, then the next case), each a {@link Trial} with its request body built.
 *
 * <p>Body fields: the suite's {@code defaults.params}, overridden by the model's {@code params},
 * overridden by the case's {@code params}; then {@code model}, {@code system}, {@code messages}
 * and {@code stream} set by the harness. {@code max_tokens} defaults to {@value #DEFAULT_MAX_TOKENS}
 * when no level sets it, since the API requires it. A suite with {@code variants:} expands by
 * {@link SequencePlan} instead.
 */
public final class Plan {
    public static final int DEFAULT_MAX_TOKENS = 1024;

    private Plan() {}

    public static List<Trial> expand(Suite suite) {
        if (!suite.variants().isEmpty()) {
            return SequencePlan.expand(suite);
        }
        List<Trial> trials = new ArrayList<>();
        for (CaseSpec c : suite.cases()) {
            for (ModelSpec m : suite.models()) {
                if (!c.runsOn(m)) {
                    continue;
                }
                ObjectNode body = body(suite, c, m);
                for (int r = 0; r < suite.run().repeat(); r++) {
                    trials.add(new Trial(Trial.idOf(c.id(), m.id(), r), c, m, r, body, m.headers()));
                }
            }
        }
        return List.copyOf(trials);
    }

    /**
     * {@code sha256:…} of a suite's file and its whole plan: the file's bytes, then every trial's id
     * and headers in plan order, and each distinct request body once (repeats share theirs). Two runs
     * with the same hash sent the same requests; hash the plan before any {@code --shard} selection,
     * so that every shard of a suite carries the same hash.
     */
    public static String hash(Suite suite, List<Trial> plan) throws java.io.IOException {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(java.nio.file.Files.readAllBytes(suite.file()));
        java.util.Set<ObjectNode> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        com.fasterxml.jackson.databind.ObjectWriter json = Templates.PLAIN.writer();
        for (Trial t : plan) {
            sha.update(("\n" + t.id() + "\n" + new java.util.TreeMap<>(t.headers()) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (seen.add(t.body())) {
                sha.update(json.writeValueAsBytes(t.body()));
            }
        }
        return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
    }

    /**
     * {@code case/model} → {@code sha256:…} of the canonical JSON of the first request body the plan
     * builds for it (repeat 0; a cache variant's first request): what the run records at its start
     * ({@code request_hashes} in {@code run.json}), bounded by cases × models.
     */
    public static Map<String, String> requestHashes(List<Trial> plan) throws java.io.IOException {
        Map<String, String> hashes = new java.util.TreeMap<>();
        com.fasterxml.jackson.databind.ObjectWriter json = Templates.PLAIN.writer();
        for (Trial t : plan) {
            String key = t.caseSpec().id() + "/" + t.model().id();
            if (!hashes.containsKey(key)) {
                hashes.put(key, sha256(json.writeValueAsBytes(t.body())));
            }
        }
        return hashes;
    }

    /** {@code sha256:} and the hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
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
