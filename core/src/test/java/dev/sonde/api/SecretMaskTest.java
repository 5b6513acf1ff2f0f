package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.testing.KeyForms;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
    private static final String KEY = "sk-ant-api03-Mask/Me+Now&<ok>\"yes'=%41-0123456789abcdef";
    private static final SecretMask MASK = SecretMask.of(ApiKey.of(KEY));

    @Test
    void masks_every_encoded_form_and_keeps_the_text_around_it() {
        for (Map.Entry<String, String> form : KeyForms.of(KEY).entrySet()) {
            if (form.getKey().equals("tail") || form.getKey().equals("head") || form.getKey().equals("base64 (start)")) {
                continue; // fragments: not a key by themselves
            }
            String text = "before " + form.getValue() + " after";
            assertThat(MASK.mask(text)).as(form.getKey()).isEqualTo("before [masked] after");
        }
    }

    @Test
    void masks_a_key_inside_any_base64_whatever_its_alignment() {
        for (String prefix : List.of("", "a", "ab", "x-api-key: ", "Authorization: Bearer ")) {
            String b64 = Base64.getEncoder().encodeToString((prefix + KEY + " tail").getBytes(StandardCharsets.UTF_8));
            String urlSafe = Base64.getUrlEncoder().encodeToString((prefix + KEY).getBytes(StandardCharsets.UTF_8));
            assertThat(MASK.mask(b64)).as(prefix).contains("[masked]");
            assertThat(MASK.mask(urlSafe)).as(prefix).contains("[masked]");
        }
    }

    @Test
    void masks_mixed_escapes_and_either_hex_case() {
        String mixed = KEY.substring(0, 10) + "%" + Integer.toHexString(KEY.charAt(10))
                + KeyForms.html(KEY.substring(11), "&#x27;");
        assertThat(MASK.mask("[" + mixed + "]")).isEqualTo("[[masked]]");
    }

    @Test
    void leaves_text_without_a_key_as_the_same_instance() {
        String text = "nothing secret here, sk-ant-api03-other";
        assertThat(MASK.mask(text)).isSameAs(text);
        assertThat(SecretMask.NONE.mask(KEY)).isEqualTo(KEY);
    }

    @Test
    void a_key_split_across_parts_is_removed_from_both() {
        List<String> parts = List.of("Your key is " + KEY.substring(0, 12), KEY.substring(12, 30), KEY.substring(30) + "!");
        assertThat(MASK.maskJoined(parts)).containsExactly("Your key is [masked]", "", "!");
        List<String> clean = List.of("a", "b");
        assertThat(MASK.maskJoined(clean)).isSameAs(clean);
    }

    @Test
    void masks_every_string_of_an_exchange() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode input = json.createObjectNode().put("k", KEY);
        input.putArray("list").add("x " + KEY);
        ObjectNode usageRaw = json.createObjectNode().put("input_tokens", 3).put("note", KEY);
        Exchange e = new Exchange(200, "req_" + KEY, "m-" + KEY,
                List.of(new ContentBlock.Text("one " + KEY.substring(0, 20)), new ContentBlock.ToolUse("t-" + KEY, "n", input),
                        new ContentBlock.Text(KEY.substring(20) + " two"), new ContentBlock.Thinking(KEY, "sig" + KEY),
                        new ContentBlock.Other("x", json.createObjectNode().put(KEY, KEY))),
                "end_turn", KEY, Usage.fromJson(usageRaw), Timings.NONE,
                new ApiFailure(ErrorClass.AUTH, 401, "t" + KEY, "m " + KEY),
                new ServerHints(null, ServerHints.NO_WAIT, Map.of("anthropic-ratelimit-requests-remaining", KEY)));
        Exchange m = MASK.mask(e);
        String all = json.writeValueAsString(List.of(m.requestId(), m.model(), m.stopSequence(), m.text(),
                m.content().toString(), m.usage().raw(), m.failure().describe(), m.hints().rateLimits()));
        assertThat(all).doesNotContain(KEY).doesNotContain("0123456789abcdef");
        assertThat(m.text()).isEqualTo("one [masked] two");
        assertThat(m.usage().inputTokens()).isEqualTo(3);
        Exchange clean = new Exchange(200, "req_1", "m", List.of(new ContentBlock.Text("hi")), "end_turn", null,
                Usage.NONE, Timings.NONE, null);
        assertThat(MASK.mask(clean)).isSameAs(clean);
    }

    @Test
    void a_key_that_cannot_be_a_header_is_refused_without_showing_it() {
        for (String bad : List.of("abc\ndef-SECRET", "abc\u0000SECRET", "abc SECRET", "abcé-SECRET")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKey.fromEnvironment(Map.of("K_API_KEY", bad), "K_API_KEY"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("K_API_KEY is not a usable key: it holds")
                    .hasMessageNotContaining("SECRET").hasMessageNotContaining("abc");
        }
        assertThat(ApiKey.fromEnvironment(Map.of("K", "  sk-ok-123\r\n"), "K")).isPresent(); // surrounding whitespace is trimmed
    }

    @Test
    void a_key_too_short_to_be_real_masks_nothing() {
        SecretMask shortKey = SecretMask.of(ApiKey.of("k"));
        assertThat(shortKey.isEmpty()).isTrue();
        assertThat(shortKey.mask("{\"output_tokens\": 20, \"stop_reason\": \"max_tokens\"}"))
                .isEqualTo("{\"output_tokens\": 20, \"stop_reason\": \"max_tokens\"}");
    }

    @Test
    void a_live_mask_finds_tokens_issued_after_it_was_made_and_keeps_finding_old_ones() {
        IssuedSecrets issued = new IssuedSecrets();
        SecretMask live = issued.maskOver(MASK);
        String first = "ya29.first-token-0123456789";
        String second = "ya29.second-token-9876543210";

        assertThat(live.isEmpty()).isFalse();
        assertThat(live.mask("a " + first + " b " + KEY)).isEqualTo("a " + first + " b [masked]");
        issued.add(ApiKey.of(first));
        issued.add(ApiKey.of(first)); // the same value is kept once
        assertThat(issued.list()).hasSize(1);
        issued.add(ApiKey.of(second));
        assertThat(live.mask("a " + first + " b " + second + " c " + KEY)).isEqualTo("a [masked] b [masked] c [masked]");
        assertThat(live.maskJoined(List.of("x ya29.sec", "ond-token-9876543210 y"))).containsExactly("x [masked]", " y");
        assertThat(live.mask(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(
                ("Bearer " + first).getBytes(StandardCharsets.UTF_8)))).asText()).contains("[masked]");
        assertThat(SecretMask.live(() -> SecretMask.NONE).isEmpty()).isTrue();
    }

    @Test
    void a_mask_over_a_live_base_follows_the_base_too() {
        IssuedSecrets runKeys = new IssuedSecrets();
        IssuedSecrets tokens = new IssuedSecrets();
        SecretMask over = tokens.maskOver(runKeys.maskOver(SecretMask.NONE));
        tokens.add(ApiKey.of("token-of-the-platform-1"));
        assertThat(over.mask("key-of-the-run-0001")).isEqualTo("key-of-the-run-0001");
        runKeys.add(ApiKey.of("key-of-the-run-0001"));
        assertThat(over.mask("key-of-the-run-0001 token-of-the-platform-1")).isEqualTo("[masked] [masked]");
    }

    @Test
    void issued_secrets_keep_the_newest_within_their_bound() {
        IssuedSecrets issued = new IssuedSecrets();
        for (int i = 0; i < IssuedSecrets.MOST + 5; i++) {
            issued.add(ApiKey.of("token-number-" + i));
        }
        assertThat(issued.list()).hasSize(IssuedSecrets.MOST);
        assertThat(issued.list().get(0).reveal()).isEqualTo("token-number-5");
        SecretMask live = issued.maskOver(SecretMask.NONE);
        assertThat(live.mask("token-number-" + (IssuedSecrets.MOST + 4))).isEqualTo("[masked]");
    }
}
