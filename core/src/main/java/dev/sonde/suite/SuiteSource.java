package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.BoundedFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A suite file as written: its YAML tree with line/column on every node, before variables are
 * substituted or files inlined. Tools that report on what the user wrote (the cache lint) read it
 * beside the loaded {@link Suite} to point at {@code file:line:column}. Immutable.
 */
public final class SuiteSource {
    private final Path file;
    private final JsonNode root;
    private final String[] lines;

    SuiteSource(Path file, JsonNode root, String[] lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    /** Reads and parses {@code file}; a file that {@link SuiteLoader#load} accepted always reads. */
    public static SuiteSource read(Path file) throws SuiteException {
        String text;
        try {
            text = BoundedFiles.readText(file, SuiteLoader.MAX_SUITE_BYTES);
        } catch (IOException e) {
            throw new SuiteException(new Location(file, 1, 1), null, "cannot read: " + e.getMessage());
        }
        return new SuiteSource(file, SuiteLoader.parse(file, text), text.split("\\R", -1));
    }

    public JsonNode root() {
        return root;
    }

    /** Where {@code node} (a node of {@link #root()}) starts. */
    public Location locate(JsonNode node) {
        return SuiteLoader.locate(file, node);
    }

    /** Where the key {@code key} whose value is {@code value} is written (the value's place if not found). */
    public Location keyLocation(String key, JsonNode value) {
        return SchemaErrors.keyLocation(lines, key, locate(value));
    }

    /** The index in {@code cases:} of the entry {@code c} was made from (a dataset makes several from one). */
    public int caseIndex(CaseSpec c) {
        JsonNode cases = root.path("cases");
        for (int i = 0; i < cases.size(); i++) {
            if (locate(cases.get(i)).equals(c.location())) {
                return i;
            }
        }
        throw new IllegalArgumentException("case '" + c.id() + "' is not from " + file);
    }

    /** The index in {@code models:} of the entry labelled {@code m.id()}. */
    public int modelIndex(ModelSpec m) {
        JsonNode models = root.path("models");
        for (int i = 0; i < models.size(); i++) {
            if (m.id().equals(models.get(i).path("id").asText())) {
                return i;
            }
        }
        throw new IllegalArgumentException("model '" + m.id() + "' is not from " + file);
    }
}
