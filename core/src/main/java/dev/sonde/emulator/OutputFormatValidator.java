package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Validates {@code output_config.format} the way the Messages API's structured outputs do for the
 * schema features they do not support: numeric, string-length and array/object-size bounds
 * ({@code minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum},
 * {@code multipleOf}, {@code minLength}, {@code maxLength}, {@code maxItems}, {@code uniqueItems},
 * {@code minProperties}, {@code maxProperties}) anywhere in the schema are rejected with a 400
 * {@code invalid_request_error} {@code "output_config.format.schema: For 'number' type, property
 * 'minimum' is not supported"} (the real API's wording for its older {@code output_format}
 * parameter, observed in the wild), so an offline run catches a schema that a live run would
 * refuse. Also: {@code format} must be an object of {@code type} {@code json_schema} with an
 * object {@code schema}. Stateless.
 */
final class OutputFormatValidator {
    private static final String PATH = "output_config.format";
    private static final Set<String> UNSUPPORTED = Set.of("minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "maxItems", "uniqueItems", "minProperties",
            "maxProperties");
    /** Keywords whose value is a map of names to sub-schemas, not a schema. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties");

    private OutputFormatValidator() {}

    /** @throws ApiError a 400 {@code invalid_request_error} for an unsupported {@code output_config.format} */
    static void check(JsonNode outputConfig) {
        if (outputConfig == null || outputConfig.isNull() || !outputConfig.has("format")) {
            return;
        }
        JsonNode format = outputConfig.get("format");
        if (format.isNull()) {
            return;
        }
        if (!format.isObject()) {
            throw ApiError.invalid(PATH + ": Input should be a valid dictionary");
        }
        if (!"json_schema".equals(format.path("type").asText())) {
            throw ApiError.invalid(PATH + ".type: Input should be 'json_schema'");
        }
        JsonNode schema = format.get("schema");
        if (schema == null || !schema.isObject()) {
            throw ApiError.invalid(PATH + ".schema: " + (schema == null ? "Field required" : "Input should be a valid dictionary"));
        }
        schema(schema);
    }

    private static void schema(JsonNode schema) {
        if (!schema.isObject()) {
            if (schema.isArray()) {
                schema.forEach(OutputFormatValidator::schema);
            }
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (UNSUPPORTED.contains(f.getKey())) {
                throw ApiError.invalid(PATH + ".schema: For '" + schema.path("type").asText("any") + "' type, property '"
                        + f.getKey() + "' is not supported");
            }
            if (SCHEMA_MAPS.contains(f.getKey()) && f.getValue().isObject()) {
                f.getValue().forEach(OutputFormatValidator::schema);
            } else if (f.getValue().isContainerNode()) {
                schema(f.getValue());
            }
        }
    }
}
