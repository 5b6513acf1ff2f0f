package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.Trial;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A case written as a conversation (user and assistant turns, a final assistant prefill) is sent
 * turn by turn as written, on both wire protocols, and checked against the answer.
 */
class ConversationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void a_templated_conversation_with_a_prefill_is_sent_as_written_and_passes() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "Where do I live?"}
                    reply: {text: "Lyon."}
                """);
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: talk
                models:
                  - {id: anthropic, model: claude-sonnet-4-6, params: {max_tokens: 50}}
                  - {id: chat, model: claude-sonnet-4-6, provider: openai-chat, params: {max_tokens: 50}}
                cases:
                  - id: remember
                    vars: {name: Ada, city: Lyon, facts: [I like tea, I cycle]}
                    messages:
                      - {role: user, content: "My name is {{name}} and I live in {{city}}.{{#facts}} {{.}}.{{/facts}}"}
                      - {role: assistant, content: "Nice to meet you, {{name}}."}
                      - {role: user, content: "Where do I live? One word."}
                      - {role: assistant, content: "You live in"}
                    assert: [{type: contains, value: "{{city}}"}]
                emulator: {rules: [rules.yaml]}
                """);
        Suite loaded = SuiteLoader.load(suite);
        Trial trial = Plan.expand(loaded).get(0);
        assertThat(JSON.writeValueAsString(trial.body().get("messages"))).isEqualTo("""
                [{"role":"user","content":"My name is Ada and I live in Lyon. I like tea. I cycle."},\
                {"role":"assistant","content":"Nice to meet you, Ada."},\
                {"role":"user","content":"Where do I live? One word."},\
                {"role":"assistant","content":"You live in"}]""");

        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int exit = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--out", dir.resolve("out").toString(), "-q");

        List<String> lines = Files.readAllLines(dir.resolve("out/trials.jsonl"));
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonNode t = JSON.readTree(line);
            assertThat(t.get("pass").asBoolean()).as(console + line).isTrue();
            assertThat(t.get("output_text").asText()).isEqualTo("Lyon.");
            assertThat(t.get("turns")).isEmpty(); // one request: no per-turn records
        }
        assertThat(exit).isZero();
    }
}
