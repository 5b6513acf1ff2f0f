package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** results.json's layout: three levels indented, every deeper value on one line, the same JSON. */
class JsonLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deep_values_sit_on_one_line_and_the_json_is_unchanged() throws Exception {
        JsonNode doc = JSON.readTree("""
                {"format_version": 1,
                 "aggregates": {"cases": {"c-1": {"h": {"trials": 1, "ttft_ms": {"count": 0, "p50": null}}},
                                          "c-2": {"h": {"trials": 2, "list": [1, [2, 3], {}]}}},
                                "empty": {}},
                 "outputs": ["a", "b"]}""");

        String text = JSON.writer(new JsonLayout()).writeValueAsString(doc);

        assertThat(JSON.readTree(text)).isEqualTo(doc);
        assertThat(text.lines()).contains(
                "      \"c-1\" : {\"h\":{\"trials\":1,\"ttft_ms\":{\"count\":0,\"p50\":null}}},",
                "      \"c-2\" : {\"h\":{\"trials\":2,\"list\":[1,[2,3],{}]}}");
        assertThat(text).startsWith("{\n  \"format_version\" : 1,\n  \"aggregates\" : {\n    \"cases\" : {\n");
        assertThat(text.lines().count()).isEqualTo(11);
    }
}
