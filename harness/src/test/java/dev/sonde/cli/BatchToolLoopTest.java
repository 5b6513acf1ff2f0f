package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch mode cannot continue a conversation: tool-loop cases are refused before anything is sent. */
class BatchToolLoopTest {
    @TempDir
    Path dir;

    @Test
    void batch_mode_refuses_tool_loops_with_one_line_naming_the_cases() throws Exception {
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: agent
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 40}}]
                cases:
                  - {id: plain, prompt: "Hello?"}
                  - id: book-trip
                    prompt: "Book a flight to Paris."
                    params: {tools: [{name: search_flights, input_schema: {type: object}}]}
                    tool_loop: {results: {default: "ok"}}
                  - id: weather
                    prompt: "Weather in Paris?"
                    params: {tools: [{name: get_weather, input_schema: {type: object}}]}
                    tool_loop: {results: {default: "15°C"}}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path outDir = dir.resolve("out");
        int exit = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), "run", suite.toString(),
                "--batch", "--out", outDir.toString(), "-q");

        assertThat(exit).as(out + "\n" + err).isEqualTo(2);
        String message = err.toString().strip();
        assertThat(message).doesNotContain("\n").contains("suite.yaml:").contains("cases[1].tool_loop")
                .contains("book-trip, weather").doesNotContain("plain");
        assertThat(outDir.resolve("trials.jsonl")).doesNotExist(); // nothing was sent or journaled
    }
}
