package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A case's messages: are checked at load time for what the Messages API would reject. */
class ConversationsTest {
    @TempDir
    Path dir;

    private Path write(String messages) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "name: t\nmodels: [{id: m, model: claude-sonnet-4-6}]\ncases:\n  - id: c\n    messages:\n"
                + messages);
        return f;
    }

    @Test
    void a_multi_turn_conversation_with_consecutive_user_turns_and_a_prefill_loads_as_written() throws Exception {
        Suite s = SuiteLoader.load(write("""
                      - {role: user, content: "My name is Ann."}
                      - {role: assistant, content: "Hello Ann."}
                      - {role: user, content: "Remember it."}
                      - {role: user, content: "What is my name?"}
                      - {role: assistant, content: "Your name is"}
                """));
        assertThat(s.cases().get(0).messages()).hasSize(5);
        assertThat(s.cases().get(0).messages().get(4).get("content").asText()).isEqualTo("Your name is");
    }

    @Test
    void the_first_turn_must_be_the_users() throws Exception {
        Path f = write("""
                      - {role: assistant, content: "Hi"}
                      - {role: user, content: "Hello"}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessage(f + ":6:16: cases[0].messages[0].role: a conversation "
                + "starts with a user turn (the API rejects a first assistant turn)");
    }

    @Test
    void only_a_final_assistant_turn_may_be_empty_and_a_prefill_may_not_end_with_whitespace() throws Exception {
        Path empty = write("""
                      - {role: user, content: "Hi"}
                      - {role: assistant, content: ""}
                      - {role: user, content: "Hello?"}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(empty)).hasMessage(empty + ":7:36: cases[0].messages[1].content: "
                + "is empty: only a final assistant turn (a prefill) may be empty");
        Path trailing = write("""
                      - {role: user, content: "Hi"}
                      - {role: assistant, content: "Well, "}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(trailing)).hasMessageContaining(":7:36: cases[0].messages[1].content: "
                + "a final assistant turn (a prefill) must not end with whitespace");
        Path blankBlock = write("""
                      - {role: user, content: [{type: text, text: "{{x}}"}]}
                """.replace("{{x}}", ""));
        assertThatThrownBy(() -> SuiteLoader.load(blankBlock)).hasMessageContaining(
                "cases[0].messages[0].content[0].text: text blocks must be non-empty");
    }

    @Test
    void tool_results_must_answer_the_tool_uses_of_the_turn_just_before() throws Exception {
        String assistant = """
                      - {role: user, content: "Weather?"}
                      - role: assistant
                        content: [{type: tool_use, id: tu_1, name: get_weather, input: {city: Paris}}]
                """;
        Path wrongId = write(assistant + """
                      - role: user
                        content: [{type: tool_result, tool_use_id: tu_9, content: "15°C"}]
                """);
        assertThatThrownBy(() -> SuiteLoader.load(wrongId)).hasMessage(wrongId + ":10:19: cases[0].messages[2].content[0]"
                + ".tool_use_id: 'tu_9' answers no tool_use of the assistant turn just before (its ids: tu_1)");
        Path unanswered = write(assistant + """
                      - {role: user, content: "Never mind."}
                """);
        assertThatThrownBy(() -> SuiteLoader.load(unanswered)).hasMessage(unanswered + ":9:9: cases[0].messages[2]: the "
                + "assistant turn before asks for tool_use tu_1: this turn must answer each with a tool_result block");
        Suite ok = SuiteLoader.load(write(assistant + """
                      - role: user
                        content: [{type: tool_result, tool_use_id: tu_1, content: "15°C"}]
                """));
        assertThat(ok.cases().get(0).messages()).hasSize(3);
    }
}
