package dev.sonde.emulator;

import static dev.sonde.emulator.ResponderTest.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesTest {
    @TempDir
    Path dir;

    private Rules load(String yaml) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, yaml);
        return Rules.load(List.of(file));
    }

    private static String matched(Rules rules, String model, String text) {
        return rules.match(ResponderTest.request("{\"model\":\"" + model + "\",\"max_tokens\":10,\"messages\":"
                + "[{\"role\":\"user\",\"content\":" + Json.MAPPER.getNodeFactory().textNode(text) + "}]}"))
                .map(Rule::name).orElse("none");
    }

    @Test
    void first_matching_rule_wins_with_model_glob_and_text_conditions() throws Exception {
        Rules rules = load("""
                rules:
                  - name: haiku-weather
                    match: {model: "claude-haiku-*", contains: weather}
                    reply: {text: a}
                  - name: any-weather
                    match: {contains: Weather, ignore_case: true}
                    reply: {text: b}
                  - name: exact-model
                    match: {model: claude-opus-4-7}
                    reply: {text: c}
                  - name: digits
                    match: {regex: "\\\\d{3}"}
                    reply: {text: d}
                """);
        assertThat(matched(rules, "claude-haiku-4-5", "the weather today")).isEqualTo("haiku-weather");
        assertThat(matched(rules, "claude-sonnet-4-6", "THE WEATHER")).isEqualTo("any-weather");
        assertThat(matched(rules, "claude-opus-4-7", "hello")).isEqualTo("exact-model");
        assertThat(matched(rules, "claude-opus-4-7-x", "call 555")).isEqualTo("digits");
        assertThat(matched(rules, "claude-opus-4-7-x", "hello")).isEqualTo("none");
    }

    @Test
    void matching_uses_the_last_user_turn_including_tool_results() {
        Rules rules = new Rules(List.of(Rules.parse(Json.MAPPER.valueToTree(java.util.Map.of(
                "match", java.util.Map.of("contains", "15°C"), "reply", java.util.Map.of("text", "ok"))), "r")));
        MessagesRequest request = ResponderTest.request("""
                {"model":"m","max_tokens":10,"messages":[
                  {"role":"user","content":"old question mentions 15°C"},
                  {"role":"assistant","content":"answer"},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"fog"}]}]}]}""");
        assertThat(rules.match(request)).isEmpty();
        assertThat(request.lastUserText()).isEqualTo("fog");
    }

    @Test
    void max_matches_lets_a_rule_fire_only_n_times() throws Exception {
        Rules rules = load("""
                rules:
                  - name: flaky
                    max_matches: 2
                    reply: {error: {status: 529}}
                """);
        assertThat(List.of(matched(rules, "m", "x"), matched(rules, "m", "x"), matched(rules, "m", "x")))
                .containsExactly("flaky", "flaky", "none");
    }

    @Test
    void error_rules_derive_type_from_status_and_status_from_type() throws Exception {
        Rules rules = load("""
                rules:
                  - match: {contains: a}
                    reply: {error: {status: 429, retry_after: 3, should_retry: false}}
                  - match: {contains: b}
                    reply: {error: {type: overloaded_error, after_events: 4}}
                """);
        Rule.Reply.Failure a = (Rule.Reply.Failure) rules.match(ask("a", 10, "")).orElseThrow().reply();
        assertThat(a.error().type).isEqualTo("rate_limit_error");
        assertThat(a.error().headers).containsEntry("retry-after", "3").containsEntry("x-should-retry", "false");
        assertThat(a.afterEvents()).isEqualTo(-1);
        Rule.Reply.Failure b = (Rule.Reply.Failure) rules.match(ask("b", 10, "")).orElseThrow().reply();
        assertThat(b.error().status).isEqualTo(529);
        assertThat(b.afterEvents()).isEqualTo(4);
    }

    @Test
    void malformed_rules_name_file_rule_and_field() {
        assertThatThrownBy(() -> load("rules:\n  - match: {contians: x}\n    reply: {text: y}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules.yaml: rules[0].match.contians: unknown key");
        assertThatThrownBy(() -> load("rules:\n  - match: {regex: \"(\"}\n    reply: {text: y}\n"))
                .hasMessageContaining("rules[0].match.regex");
        assertThatThrownBy(() -> load("rules:\n  - reply: {}\n")).hasMessageContaining("rules[0].reply: needs");
        assertThatThrownBy(() -> load("nope: 1\n")).hasMessageContaining("expected a top-level 'rules:' list");
    }

    @Test
    void the_shipped_example_rules_load() {
        Path examples = Path.of(System.getProperty("sonde.projectDir", "..")).resolve("fixtures/emulator/examples.yaml");
        assertThat(Rules.load(List.of(examples)).size()).isGreaterThanOrEqualTo(5);
    }
}
