package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite loader writes a model-graded assertion's default 'question': the case's last user text. */
class QuestionDefaultTest {
    @TempDir
    Path dir;

    private Suite load(String cases) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "name: q\nmodels: [{id: m, model: claude-sonnet-4-6}]\n" + cases);
        return SuiteLoader.load(f);
    }

    @Test
    void a_graded_assertion_without_a_question_gets_the_cases_last_user_text() throws Exception {
        Suite s = load("""
                defaults:
                  assert: [{type: g-eval, value: clear}]
                cases:
                  - id: prompt
                    vars: {country: France}
                    prompt: "Capital of {{country}}?"
                    assert:
                      - {type: not-factuality, value: Lyon}
                      - {type: factuality, value: Paris, question: "Mine"}
                      - {type: assert-set, assert: [{type: model-graded-closedqa, value: short}, {type: contains, value: a}]}
                      - {type: context-recall, value: Paris, context: "Paris is the capital."}
                  - id: turns
                    messages:
                      - {role: user, content: "first"}
                      - {role: assistant, content: "ok"}
                      - {role: user, content: [{type: text, text: "second"}, {type: text, text: "part"}]}
                    assert: [{type: context-faithfulness, context: "{{ctx}}"}]
                    vars: {ctx: [a, b]}
                """);
        List<AssertSpec> first = s.cases().get(0).asserts();
        assertThat(first.get(0).config().get("question").asText()).isEqualTo("Capital of France?");
        assertThat(first.get(1).config().get("question").asText()).isEqualTo("Capital of France?");
        assertThat(first.get(2).config().get("question").asText()).isEqualTo("Mine");
        assertThat(first.get(3).config().at("/assert/0/question").asText()).isEqualTo("Capital of France?");
        assertThat(first.get(3).config().at("/assert/1").has("question")).isFalse();
        assertThat(first.get(4).config().has("question")).as("context-recall takes no question").isFalse();
        AssertSpec turns = s.cases().get(1).asserts().get(1);
        assertThat(turns.config().get("question").asText()).isEqualTo("second\npart");
        assertThat(turns.config().get("context").isArray()).as("a whole-string list var stays a list").isTrue();
        assertThat(s.cases().get(1).asserts().get(0).config().get("question").asText()).isEqualTo("second\npart");
    }

    @Test
    void a_case_without_user_text_is_an_error_at_the_assertion() throws Exception {
        assertThatThrownBy(() -> load("""
                cases:
                  - id: image-only
                    messages:
                      - {role: user, content: [{type: image, source: {type: url, url: "https://example.com/a.png"}}]}
                    assert:
                      - {type: contains, value: a}
                      - {type: answer-relevance}
                """))
                .isInstanceOf(SuiteException.class)
                .hasMessageEndingWith("s.yaml:9:9: cases[0].assert[1].question: 'answer-relevance' needs a 'question', and the"
                        + " case's last user message has no text to default it to: set 'question'");
    }

    @Test
    void the_last_user_text_skips_later_assistant_turns_and_ignores_non_text_blocks() {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var messages = f.arrayNode();
        messages.addObject().put("role", "user").putArray("content").addObject().put("type", "text").put("text", "x");
        messages.addObject().put("role", "assistant").put("content", "y");
        assertThat(QuestionDefault.lastUserText(messages)).isEqualTo("x");
        assertThat(QuestionDefault.lastUserText(f.arrayNode())).isEmpty();
    }
}
