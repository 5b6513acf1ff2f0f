package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void counts_words_punctuation_and_non_ascii_by_the_documented_rules() {
        assertThat(Tokens.count("")).isZero();
        assertThat(Tokens.split("Hello, world!")).containsExactly("Hello", ",", " world", "!");
        assertThat(Tokens.count("information")).isEqualTo(2); // 6 + 5 characters
        assertThat(Tokens.count("café")).isEqualTo(2);
        assertThat(Tokens.count("日本語")).isEqualTo(3);
        assertThat(Tokens.split("end  ")).containsExactly("end", "  ");
    }

    @Test
    void tokens_concatenate_back_to_the_text() {
        String text = "  Multi-line\ntext, with   spaces; ünïcode and 12345678 digits.\n\n";
        assertThat(String.join("", Tokens.split(text))).isEqualTo(text);
        assertThat(Tokens.count(text)).isEqualTo(Tokens.split(text).size());
    }

    @Test
    void a_prefix_of_n_tokens_counts_n_tokens() {
        String text = "The quick brown fox jumps over the extraordinarily lazy dog, twice.";
        for (int n = 0; n <= Tokens.count(text); n++) {
            assertThat(Tokens.count(Tokens.prefix(text, n))).isEqualTo(n);
        }
        assertThat(Tokens.prefix(text, 1_000)).isEqualTo(text);
    }

    @Test
    void input_tokens_count_system_tools_and_every_message_block() throws Exception {
        JsonNode bare = Json.MAPPER.readTree("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hello there"}]}""");
        assertThat(InputTokens.count(bare))
                .isEqualTo(InputTokens.REQUEST_OVERHEAD + InputTokens.MESSAGE_OVERHEAD + 2);

        JsonNode full = Json.MAPPER.readTree("""
                {"model":"m","max_tokens":5,
                 "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
                 "tools":[{"name":"t","input_schema":{"type":"object"}}],
                 "messages":[{"role":"user","content":[
                   {"type":"text","text":"Hello there"},
                   {"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}""");
        int tool = Tokens.count("{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}");
        assertThat(InputTokens.count(full)).isEqualTo(InputTokens.REQUEST_OVERHEAD + Tokens.count("Be brief.") + tool
                + InputTokens.MESSAGE_OVERHEAD + 2 + InputTokens.IMAGE_TOKENS);
    }
}
