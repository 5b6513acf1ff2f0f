package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cached tool loop is the whole conversation: its scripted results and turn limit are part of the key. */
class ResponseCacheKeyTest {
    @TempDir
    Path dir;

    private String key(String toolLoop) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: k
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 40}}]
                cases:
                  - id: weather
                    prompt: "Weather in Paris?"
                    params: {tools: [{name: get_weather, input_schema: {type: object}}]}
                %s
                """.formatted(toolLoop));
        Suite suite = SuiteLoader.load(f);
        Trial trial = Plan.expand(suite).get(0);
        return new ResponseCache(dir.resolve("cache")).key("http://fake.test", trial);
    }

    @Test
    void editing_the_scripted_results_or_max_turns_changes_the_key() throws Exception {
        String base = key("    tool_loop: {max_turns: 3, results: {get_weather: \"15°C\", default: ok}}");
        assertThat(key("    tool_loop: {max_turns: 3, results: {get_weather: \"15°C\", default: ok}}"))
                .as("stable across loads").isEqualTo(base);
        assertThat(key("    tool_loop: {max_turns: 3, results: {default: ok, get_weather: \"15°C\"}}"))
                .as("the order of tools does not matter").isEqualTo(base);
        assertThat(key("    tool_loop: {max_turns: 3, results: {get_weather: \"-3°C\", default: ok}}")).isNotEqualTo(base);
        assertThat(key("    tool_loop: {max_turns: 4, results: {get_weather: \"15°C\", default: ok}}")).isNotEqualTo(base);
        assertThat(key("    tool_loop: {max_turns: 3, results: {get_weather: [{when: {city: Paris}, result: \"15°C\"}], "
                + "default: ok}}")).isNotEqualTo(base);
        assertThat(key("")).isNotEqualTo(base);
    }
}
