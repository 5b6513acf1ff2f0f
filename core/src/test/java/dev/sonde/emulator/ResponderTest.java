package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResponderTest {
    private static final Responder NO_RULES = new Responder(42, new Rules(List.of()));

    static MessagesRequest request(String json) {
        try {
            return RequestValidator.parse(Json.MAPPER.readTree(json), false);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static MessagesRequest ask(String text, int maxTokens, String extra) {
        return request("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":" + maxTokens + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":" + Json.MAPPER.getNodeFactory().textNode(text) + "}]}");
    }

    static String text(Answer answer) {
        return answer.blocks().stream().map(b -> ((Answer.Block.Text) b).text()).collect(Collectors.joining());
    }

    @Test
    void same_request_gives_the_same_answer_whatever_came_before() {
        Answer first = NO_RULES.answer(ask("Tell me about rivers", 1000, ""));
        NO_RULES.answer(ask("Something else entirely", 1000, ""));
        Answer again = NO_RULES.answer(ask("Tell me about rivers", 1000, ""));
        assertThat(again).isEqualTo(first);
        assertThat(text(first)).isNotBlank();
        assertThat(first.stopReason()).isEqualTo("end_turn");
        assertThat(first.outputTokens()).isEqualTo(Tokens.count(text(first)))
                .isBetween(TextGenerator.MIN_ANSWER_TOKENS, TextGenerator.MAX_ANSWER_TOKENS + 40);
    }

    @Test
    void different_seed_model_or_content_gives_a_different_answer() {
        String base = text(NO_RULES.answer(ask("Tell me about rivers", 1000, "")));
        assertThat(text(new Responder(43, new Rules(List.of())).answer(ask("Tell me about rivers", 1000, ""))))
                .isNotEqualTo(base);
        assertThat(text(NO_RULES.answer(ask("Tell me about lakes", 1000, "")))).isNotEqualTo(base);
    }

    @Test
    void streaming_flag_does_not_change_the_answer() {
        assertThat(NO_RULES.answer(ask("Hi", 1000, ",\"stream\":true")))
                .isEqualTo(NO_RULES.answer(ask("Hi", 1000, "")));
    }

    @Test
    void max_tokens_truncates_to_exactly_that_many_tokens() {
        String full = text(NO_RULES.answer(ask("Hi", 4000, "")));
        Answer cut = NO_RULES.answer(ask("Hi", 7, ""));
        assertThat(cut.stopReason()).isEqualTo("max_tokens");
        assertThat(cut.outputTokens()).isEqualTo(7);
        assertThat(Tokens.count(text(cut))).isEqualTo(7);
        assertThat(text(cut)).isEqualTo(Tokens.prefix(full, 7)).isNotEqualTo(full);
    }

    @Test
    void max_tokens_zero_gives_empty_content() {
        Answer answer = NO_RULES.answer(ask("Hi", 0, ""));
        assertThat(answer.blocks()).isEmpty();
        assertThat(answer.stopReason()).isEqualTo("max_tokens");
        assertThat(answer.outputTokens()).isZero();
    }

    @Test
    void stop_sequence_cuts_before_the_sequence_and_is_reported() {
        String full = text(NO_RULES.answer(ask("Hi", 4000, "")));
        String[] words = full.split(" ");
        String stop = words[words.length / 2];
        Answer answer = NO_RULES.answer(ask("Hi", 4000, ",\"stop_sequences\":[\"zzz-never\"," + Json.MAPPER.getNodeFactory().textNode(stop) + "]"));
        assertThat(answer.stopReason()).isEqualTo("stop_sequence");
        assertThat(answer.stopSequence()).isEqualTo(stop);
        assertThat(text(answer)).isEqualTo(full.substring(0, full.indexOf(stop)));
        assertThat(answer.outputTokens()).isEqualTo(Tokens.count(full.substring(0, full.indexOf(stop) + stop.length())));
    }

    @Test
    void max_tokens_wins_when_the_stop_sequence_comes_later() {
        String full = text(NO_RULES.answer(ask("Hi", 4000, "")));
        String lastWord = full.substring(full.lastIndexOf(' ') + 1);
        Answer answer = NO_RULES.answer(ask("Hi", 3, ",\"stop_sequences\":[" + Json.MAPPER.getNodeFactory().textNode(lastWord) + "]"));
        assertThat(answer.stopReason()).isEqualTo("max_tokens");
        assertThat(answer.stopSequence()).isNull();
    }

    @Test
    void forced_tool_choice_calls_that_tool_with_schema_valid_input() {
        String tools = ",\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":"
                + "{\"city\":{\"type\":\"string\"},\"unit\":{\"enum\":[\"c\",\"f\"]}},\"required\":[\"city\",\"unit\"]}},"
                + "{\"name\":\"other\",\"input_schema\":{\"type\":\"object\"}}]";
        Answer answer = NO_RULES.answer(ask("Weather?", 500, tools + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\"}"));
        assertThat(answer.stopReason()).isEqualTo("tool_use");
        assertThat(answer.blocks()).singleElement().isInstanceOfSatisfying(Answer.Block.ToolUse.class, tool -> {
            assertThat(tool.name()).isEqualTo("get_weather");
            assertThat(tool.id()).matches("toolu_01[0-9A-Za-z]{22}");
            assertThat(tool.input().path("city").isTextual()).isTrue();
            assertThat(tool.input().path("unit").asText()).isIn("c", "f");
            assertThat(String.join("", tool.chunks())).isEqualTo(tool.input().toString());
        });
        assertThat(NO_RULES.answer(ask("Weather?", 500, tools + ",\"tool_choice\":{\"type\":\"any\"}")).stopReason())
                .isEqualTo("tool_use");
        assertThat(NO_RULES.answer(ask("Weather?", 500, tools)).stopReason()).isEqualTo("end_turn");
    }

    @Test
    void a_tool_call_that_does_not_fit_stops_with_max_tokens() {
        String tools = ",\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":"
                + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}],\"tool_choice\":{\"type\":\"any\"}";
        Answer answer = NO_RULES.answer(ask("Weather?", 2, tools));
        assertThat(answer.blocks()).isEmpty();
        assertThat(answer.stopReason()).isEqualTo("max_tokens");
        assertThat(answer.outputTokens()).isEqualTo(2);
    }

    @Test
    void rule_text_is_subject_to_limits_and_fills_placeholders() throws Exception {
        Rule rule = Rules.parse(Json.YAML.readTree("""
                match: {contains: echo}
                reply: {text: "Model {{model}} heard: {{last_user_text}}. STOP here."}"""), "test");
        Responder responder = new Responder(42, new Rules(List.of(rule)));
        assertThat(text(responder.answer(ask("echo me", 1000, ""))))
                .isEqualTo("Model claude-sonnet-4-6 heard: echo me. STOP here.");
        Answer stopped = responder.answer(ask("echo me", 1000, ",\"stop_sequences\":[\"STOP\"]"));
        assertThat(text(stopped)).isEqualTo("Model claude-sonnet-4-6 heard: echo me. ");
        assertThat(responder.answer(ask("echo me", 2, "")).stopReason()).isEqualTo("max_tokens");
    }

    @Test
    void refusal_rule_stops_with_refusal_and_error_rule_throws_the_api_error() throws Exception {
        Rule refuse = Rules.parse(Json.YAML.readTree("""
                match: {regex: "^forbidden", ignore_case: true}
                reply: {refusal: {text: "I can't help with that."}}"""), "r1");
        Rule fail = Rules.parse(Json.YAML.readTree("""
                match: {contains: overload}
                reply: {error: {status: 529, retry_after: 0}}"""), "r2");
        Responder responder = new Responder(42, new Rules(List.of(refuse, fail)));
        Answer refused = responder.answer(ask("FORBIDDEN topic", 100, ""));
        assertThat(refused.stopReason()).isEqualTo("refusal");
        assertThat(text(refused)).isEqualTo("I can't help with that.");
        assertThatThrownBy(() -> responder.answer(ask("please overload", 100, "")))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status).isEqualTo(529);
                    assertThat(e.type).isEqualTo("overloaded_error");
                    assertThat(e.getMessage()).isEqualTo("Overloaded");
                    assertThat(e.headers).containsEntry("retry-after", "0");
                });
    }

    @Test
    void deltas_carry_one_to_four_tokens_and_add_up_to_the_text() {
        Answer answer = NO_RULES.answer(ask("Tell me a story", 4000, ""));
        Answer.Block.Text block = (Answer.Block.Text) answer.blocks().getFirst();
        assertThat(String.join("", block.chunks())).isEqualTo(block.text());
        assertThat(block.chunks()).allSatisfy(c -> assertThat(Tokens.count(c)).isBetween(1, 4));
    }
}
