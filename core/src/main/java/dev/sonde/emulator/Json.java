package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.metrics.Jackson;
import dev.sonde.metrics.Yaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Shared Jackson mappers (thread-safe once configured) and a canonical JSON form for hashing. */
final class Json {
    static final ObjectMapper MAPPER = Jackson.plain();
    /** Rules and config files are read whole ({@link #readYaml}) by the one YAML reader of files people write. */
    static final YAMLMapper YAML = Yaml.mapper().build();

    private Json() {}

    /**
     * The YAML tree of {@code file}, read only if it is a regular file within the YAML reader's
     * limit (a device or a pipe is refused before anything is read).
     */
    static JsonNode readYaml(Path file) throws IOException {
        return YAML.readTree(BoundedFiles.readText(file, Yaml.MAX_DOCUMENT_CHARS));
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Compact JSON with object keys sorted, so equal documents hash equally whatever the key order. */
    static String canonical(JsonNode node) {
        StringBuilder out = new StringBuilder();
        appendCanonical(node, out);
        return out.toString();
    }

    private static void appendCanonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(MAPPER.getNodeFactory().textNode(names.get(i))).append(':');
                appendCanonical(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                appendCanonical(it.next(), out);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }

    /** Compact JSON of {@code node} without any {@code cache_control} member (at any depth). */
    static String withoutCacheControl(JsonNode node) {
        return stripped(node).toString();
    }

    /** A deep copy of {@code node} without any {@code cache_control} member (at any depth). */
    static JsonNode stripped(JsonNode node) {
        JsonNode copy = node.deepCopy();
        stripCacheControl(copy);
        return copy;
    }

    private static void stripCacheControl(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("cache_control");
        }
        node.forEach(Json::stripCacheControl);
    }
}
