package dev.sonde.run;

import dev.sonde.journal.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.api.ServerHints;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.ToolLoopSpec;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A response cache for re-running checks without paying again ({@code --cache}): successful
 * exchanges are stored as one JSON file each under a folder, keyed by the SHA-256 of endpoint,
 * model, the full request body, headers and the repeat index (so repeats stay distinct samples) and,
 * for a tool loop, its {@code max_turns} and scripted results (the stored answer is the whole
 * conversation, which they shape). A
 * replayed exchange has its content, stop reason and usage, but no timings ({@link Timings#unmeasured},
 * {@link #UNTIMED}): it is a verdict, never a measurement, and checks that need a timing are not
 * applicable to it. An answer the emulator marked as filler (no rule matched, {@link
 * ServerHints#emulatorFiller()}; of a tool loop, any turn's) is stored with {@code "emulator_filler": true}
 * and replayed with the mark, so a replayed run counts it as the first run did; an entry without
 * the field (not filler, or written before the field existed) replays as not filler. Failures are never cached. Writes are atomic (temp file, then move); thread-safe.
 */
final class ResponseCache {
    /** Why a replayed exchange has no timings. */
    static final String UNTIMED = "replayed from the response cache (--cache): nothing was timed in this run";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a replayed filler answer's response said: only that it is filler (nothing of retries or limits). */
    private static final ServerHints FILLER = new ServerHints(null, ServerHints.NO_WAIT, Map.of(), true);
    private final Path dir;

    ResponseCache(Path dir) {
        this.dir = dir;
    }

    String key(String endpoint, Trial trial) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<String> parts = new ArrayList<>(List.of(endpoint, trial.model().model(),
                    JSON.writeValueAsString(trial.body()), JSON.writeValueAsString(new TreeMap<>(trial.headers())),
                    Integer.toString(trial.repeat())));
            ToolLoopSpec loop = trial.caseSpec().toolLoop();
            if (loop != null) { // the stored answer is the whole conversation, which the scripted results shape
                ObjectNode spec = JSON.createObjectNode().put("max_turns", loop.maxTurns());
                spec.set("results", JSON.valueToTree(new TreeMap<>(loop.results())));
                parts.add(JSON.writeValueAsString(spec));
            }
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot key the response cache", e);
        }
    }

    Optional<Exchange> get(String key) throws IOException {
        Path file = dir.resolve(key + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode n = JSON.readTree(file.toFile());
        List<ContentBlock> content = new ArrayList<>();
        for (JsonNode b : n.path("content")) {
            switch (b.path("type").asText()) {
                case "text" -> content.add(new ContentBlock.Text(b.path("text").asText()));
                case "tool_use" -> content.add(new ContentBlock.ToolUse(b.path("id").asText(), b.path("name").asText(),
                        b.path("input")));
                case "thinking" -> content.add(new ContentBlock.Thinking(b.path("thinking").asText(),
                        b.path("signature").asText()));
                default -> content.add(new ContentBlock.Other(b.path("type").asText(), b));
            }
        }
        return Optional.of(new Exchange(200, n.path("request_id").asText(null), n.path("model").asText(null), content,
                n.path("stop_reason").asText(null), n.path("stop_sequence").asText(null), Usage.fromJson(n.path("usage")),
                Timings.unmeasured(UNTIMED), null, n.path("emulator_filler").booleanValue() ? FILLER : ServerHints.NONE));
    }

    /**
     * Stores a successful answer (a failed one is never stored).
     *
     * @param filler the emulator marked the answer as filler (of a tool loop: some turn's), so its replay is too
     */
    void put(String key, Exchange ex, boolean filler) throws IOException {
        if (!ex.ok()) {
            return;
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("request_id", ex.requestId());
        n.put("model", ex.model());
        n.put("stop_reason", ex.stopReason());
        n.put("stop_sequence", ex.stopSequence());
        n.set("usage", ex.usage().raw());
        if (filler) {
            n.put("emulator_filler", true);
        }
        n.set("content", ContentBlock.toJson(ex.content()));
        String text = JSON.writeValueAsString(n);
        AtomicFile.write(dir.resolve(key + ".json"), out -> out.write(text));
    }
}
