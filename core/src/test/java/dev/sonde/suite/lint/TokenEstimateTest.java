package dev.sonde.suite.lint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void counts_a_token_per_four_letters_one_per_symbol_and_nothing_for_inner_whitespace() {
        assertThat(TokenEstimate.of("")).isZero();
        assertThat(TokenEstimate.of("Hello, world!")).isEqualTo(6); // Hel|lo , wor|ld !
        assertThat(TokenEstimate.of("a  b\tc")).isEqualTo(3);
        assertThat(TokenEstimate.of("policy\n")).isEqualTo(3); // poli|cy + the trailing newline
        assertThat(TokenEstimate.of("日本語です")).isEqualTo(5);
        assertThat(TokenEstimate.of("{\"a\":1}")).isEqualTo(7);
    }

    /** The property the lint relies on: never fewer tokens than the emulator counts for the same text. */
    @Test
    void never_counts_fewer_than_the_emulator_for_any_kind_of_text() throws Exception {
        List<String> texts = List.of(
                "RETURNS POLICY (v7). 4.1 Unopened items: full refund within 30 days. 4.2 Opened electronics,\n"
                        + "including laptops, phones and tablets: returnable within 30 days with a 10% restocking fee.\n",
                "{\"type\":\"object\",\"required\":[\"city\",\"day\"],\"properties\":{\"city\":{\"type\":\"string\"}}}",
                "def add(a, b):\n    return a - b\n\nclass Internationalization:\n    pass\n",
                "用户的订单号是 2026-11-23-000417，请在三十天内退货。",
                "ids: 0123456789abcdef0123456789abcdef, 550e8400-e29b-41d4-a716-446655440000   ",
                "Supercalifragilisticexpialidocious antidisestablishmentarianism \u00e9t\u00e9 na\u00efve \ud83d\ude00");
        try (Emulator emulator = Emulator.start(EmulatorConfig.builder().port(0).build())) {
            int none = countTokens(emulator.baseUri(), null);
            for (String text : texts) {
                int emulated = countTokens(emulator.baseUri(), text) - none;
                assertThat(TokenEstimate.of(text)).as(text).isGreaterThanOrEqualTo(emulated);
            }
        }
    }

    private static int countTokens(URI base, String system) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("model", "claude-sonnet-4-6");
        if (system != null) {
            body.put("system", system);
        }
        body.putArray("messages").addObject().put("role", "user").put("content", "x");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        base.resolve("/v1/messages/count_tokens"))
                .header("content-type", "application/json").header("x-api-key", "sk-test")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("input_tokens").asInt();
    }
}
