package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates a JSON value that satisfies a tool's {@code input_schema}, for tool calls the
 * emulator invents. Supported: {@code type} (a string or a list: the first non-null type wins),
 * {@code const}, {@code enum}, {@code properties} with {@code required} (required properties are
 * always present, optional ones about half the time), no properties beyond {@code properties} are added,
 * {@code items}, {@code minItems}/{@code maxItems}, {@code minimum}/{@code maximum} and their
 * exclusive forms, {@code minLength}/{@code maxLength}, string {@code format}s (date, date-time,
 * time, email, uri, uuid), {@code anyOf}/{@code oneOf} (one branch), {@code allOf} (object
 * branches merged) and local {@code $ref}s ({@code #/$defs/…}, {@code #/definitions/…}).
 * {@code pattern} is not honoured. Beyond {@value #MAX_DEPTH} levels of nesting, optional
 * properties and array items are left out so recursive schemas terminate. Stateless.
 */
final class SchemaValues {
    static final int MAX_DEPTH = 6;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaValues() {}

    /** A value for {@code schema}; a missing or empty schema gives an empty object. */
    static JsonNode generate(JsonNode schema, SplittableRandom rng) {
        if (schema == null || schema.isNull() || schema.isEmpty()) {
            return NODES.objectNode();
        }
        return value(schema, schema, rng, 0);
    }

    private static JsonNode value(JsonNode schema, JsonNode root, SplittableRandom rng, int depth) {
        JsonNode s = resolve(schema, root);
        if (s.has("const")) {
            return s.get("const").deepCopy();
        }
        if (s.has("enum") && s.get("enum").isArray() && !s.get("enum").isEmpty()) {
            JsonNode options = s.get("enum");
            return options.get(rng.nextInt(options.size())).deepCopy();
        }
        for (String union : new String[] {"anyOf", "oneOf"}) {
            if (s.has(union) && s.get(union).isArray() && !s.get(union).isEmpty()) {
                JsonNode options = s.get(union);
                return value(options.get(rng.nextInt(options.size())), root, rng, depth + 1);
            }
        }
        if (s.has("allOf") && s.get("allOf").isArray()) {
            ObjectNode merged = NODES.objectNode();
            for (JsonNode part : s.get("allOf")) {
                if (value(part, root, rng, depth + 1) instanceof ObjectNode object) {
                    merged.setAll(object);
                }
            }
            return merged;
        }
        return switch (typeOf(s)) {
            case "object" -> object(s, root, rng, depth);
            case "array" -> array(s, root, rng, depth);
            case "string" -> string(s, rng);
            case "integer" -> NODES.numberNode(integer(s, rng));
            case "number" -> NODES.numberNode(number(s, rng));
            case "boolean" -> NODES.booleanNode(rng.nextBoolean());
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(TextGenerator.phrase(rng));
        };
    }

    private static JsonNode resolve(JsonNode schema, JsonNode root) {
        JsonNode s = schema;
        for (int hops = 0; s.has("$ref") && hops < 16; hops++) {
            String ref = s.get("$ref").asText();
            if (!ref.startsWith("#")) {
                return NODES.objectNode();
            }
            JsonNode target = root.at(ref.substring(1));
            if (target.isMissingNode()) {
                return NODES.objectNode();
            }
            s = target;
        }
        return s;
    }

    private static String typeOf(JsonNode s) {
        JsonNode type = s.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (s.has("properties")) {
            return "object";
        }
        return s.has("items") ? "array" : "string";
    }

    private static ObjectNode object(JsonNode s, JsonNode root, SplittableRandom rng, int depth) {
        ObjectNode out = NODES.objectNode();
        Set<String> required = new HashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            boolean include = required.contains(property.getKey()) || (depth < MAX_DEPTH && rng.nextBoolean());
            if (include) {
                out.set(property.getKey(), value(property.getValue(), root, rng, depth + 1));
            }
        }
        return out;
    }

    private static ArrayNode array(JsonNode s, JsonNode root, SplittableRandom rng, int depth) {
        int min = Math.max(0, s.path("minItems").asInt(depth < MAX_DEPTH ? 1 : 0));
        int max = Math.max(min, s.path("maxItems").asInt(Math.max(min, 3)));
        int count = depth < MAX_DEPTH ? min + rng.nextInt(max - min + 1) : min;
        ArrayNode out = NODES.arrayNode();
        JsonNode items = s.has("items") && s.get("items").isObject() ? s.get("items") : NODES.objectNode();
        for (int i = 0; i < count; i++) {
            out.add(items.isEmpty() ? NODES.textNode(TextGenerator.phrase(rng)) : value(items, root, rng, depth + 1));
        }
        return out;
    }

    private static JsonNode string(JsonNode s, SplittableRandom rng) {
        String value = switch (s.path("format").asText("")) {
            case "date" -> String.format("2026-%02d-%02d", 1 + rng.nextInt(12), 1 + rng.nextInt(28));
            case "date-time" -> String.format("2026-%02d-%02dT%02d:%02d:00Z",
                    1 + rng.nextInt(12), 1 + rng.nextInt(28), rng.nextInt(24), rng.nextInt(60));
            case "time" -> String.format("%02d:%02d:00", rng.nextInt(24), rng.nextInt(60));
            case "email" -> "user" + rng.nextInt(1000) + "@example.com";
            case "uri", "url" -> "https://example.com/" + rng.nextInt(1000);
            case "uuid" -> new UUID(rng.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x4000L,
                    rng.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
            default -> TextGenerator.phrase(rng);
        };
        int minLength = s.path("minLength").asInt(0);
        StringBuilder padded = new StringBuilder(value);
        while (padded.length() < minLength) {
            padded.append(' ').append(TextGenerator.phrase(rng));
        }
        int maxLength = s.path("maxLength").asInt(Integer.MAX_VALUE);
        return NODES.textNode(padded.length() > maxLength ? padded.substring(0, maxLength) : padded.toString());
    }

    private static long integer(JsonNode s, SplittableRandom rng) {
        long min = s.has("minimum") ? (long) Math.ceil(s.get("minimum").asDouble()) : 0;
        long max = s.has("maximum") ? (long) Math.floor(s.get("maximum").asDouble()) : min + 100;
        if (s.has("exclusiveMinimum") && s.get("exclusiveMinimum").isNumber()) {
            min = Math.max(min, (long) Math.floor(s.get("exclusiveMinimum").asDouble()) + 1);
        }
        if (s.has("exclusiveMaximum") && s.get("exclusiveMaximum").isNumber()) {
            max = Math.min(max, (long) Math.ceil(s.get("exclusiveMaximum").asDouble()) - 1);
        }
        if (!s.has("maximum") && !s.has("exclusiveMaximum")) {
            max = min + 100;
        }
        return max <= min ? min : min + rng.nextLong(max - min + 1);
    }

    private static double number(JsonNode s, SplittableRandom rng) {
        double min = s.has("minimum") ? s.get("minimum").asDouble() : s.path("exclusiveMinimum").asDouble(0);
        double max = s.has("maximum") ? s.get("maximum").asDouble() : s.path("exclusiveMaximum").asDouble(min + 100);
        double raw = max <= min ? min : min + rng.nextDouble() * (max - min);
        double rounded = Math.round(raw * 100) / 100.0;
        return rounded < min || rounded > max || rounded == max && s.has("exclusiveMaximum")
                || rounded == min && s.has("exclusiveMinimum") ? (min + max) / 2 : rounded;
    }
}
