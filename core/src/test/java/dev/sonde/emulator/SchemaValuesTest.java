package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchemaValuesTest {
    private static final String SCHEMA = """
            {"type":"object",
             "properties":{
               "location":{"type":"string","minLength":3,"maxLength":40},
               "unit":{"type":"string","enum":["celsius","fahrenheit"]},
               "days":{"type":"integer","minimum":1,"maximum":7},
               "ratio":{"type":"number","exclusiveMinimum":0,"maximum":1},
               "when":{"type":"string","format":"date"},
               "flags":{"type":"array","items":{"type":"boolean"},"minItems":2,"maxItems":4},
               "owner":{"type":"object","properties":{"name":{"type":"string"},"id":{"$ref":"#/$defs/id"}},
                        "required":["name","id"]},
               "note":{"type":["string","null"]},
               "kind":{"const":"forecast"},
               "either":{"anyOf":[{"type":"integer"},{"type":"string"}]}
             },
             "required":["location","unit","days","ratio","when","flags","owner","kind"],
             "$defs":{"id":{"type":"string","format":"uuid"}}}""";

    @Test
    void generated_input_satisfies_the_schema_for_many_seeds() throws Exception {
        JsonNode schemaNode = Json.MAPPER.readTree(SCHEMA);
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaNode);
        for (long seed = 0; seed < 200; seed++) {
            JsonNode value = SchemaValues.generate(schemaNode, new SplittableRandom(seed));
            assertThat(schema.validate(value)).as("seed %d: %s", seed, value).isEmpty();
            assertThat(value.path("owner").path("id").asText()).matches("[0-9a-f-]{36}");
            assertThat(value.path("when").asText()).matches("2026-\\d\\d-\\d\\d");
        }
    }

    @Test
    void same_seed_gives_the_same_value_and_missing_schema_gives_an_empty_object() throws Exception {
        JsonNode schemaNode = Json.MAPPER.readTree(SCHEMA);
        assertThat(SchemaValues.generate(schemaNode, new SplittableRandom(7)))
                .isEqualTo(SchemaValues.generate(schemaNode, new SplittableRandom(7)));
        assertThat(SchemaValues.generate(null, new SplittableRandom(7)).isEmpty()).isTrue();
    }

    @Test
    void recursive_schemas_terminate() throws Exception {
        JsonNode tree = Json.MAPPER.readTree("""
                {"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{
                  "label":{"type":"string"},
                  "children":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["label"]}}}""");
        for (long seed = 0; seed < 50; seed++) {
            assertThat(SchemaValues.generate(tree, new SplittableRandom(seed)).has("label")).isTrue();
        }
    }
}
