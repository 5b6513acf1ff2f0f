package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A suite file means exactly what it says: what YAML would silently reinterpret (a key written
 * twice, anchors and aliases) and headers the HTTP client would refuse mid-run are one-line errors
 * at {@code file:line:column} with the field, exit 2, before anything is sent — for {@code sonde
 * run} and {@code sonde lint} alike.
 */
class SuiteMeaningTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            assert written twice | cases:\\n  - id: one\\n    prompt: hi\\n    assert: [{type: contains, value: x}]\\n    assert: [{type: contains, value: hi}]\\n | 7:5: cases[0].assert: duplicate key 'assert'
            model key twice | cases:\\n  - {id: one, prompt: hi, prompt: bye}\\n | 4:27: cases[0].prompt: duplicate key 'prompt'
            top-level key twice | cases: [{id: one, prompt: hi}]\\ncases: [{id: two, prompt: hi}]\\n | 4:1: cases: duplicate key 'cases'
            anchor on a list | cases:\\n  - id: one\\n    prompt: hi\\n    assert: &checks [{type: contains, value: x}]\\n  - {id: two, prompt: hi, assert: *checks}\\n | 6:13: cases[0].assert: YAML anchors (&checks) are not supported
            alias used | defaults: {params: {max_tokens: 9}}\\ncases:\\n  - {id: one, prompt: hi, params: *base}\\n | 5:35: cases[0].params: YAML aliases (*base) are not supported: Sonde's YAML reader would read it as the text 'base'
            merge key | cases:\\n  - {id: one, prompt: hi, params: {<<: *base, max_tokens: 3}}\\n | 4:36: cases[0].params.<<: YAML merge keys (<<) are not supported
            explicit tag | cases:\\n  - {id: one, prompt: !!str hi}\\n | 4:23: cases[0].prompt: YAML tags (tag:yaml.org,2002:str) are not supported
            second document | cases: [{id: one, prompt: hi}]\\n---\\nname: other\\n | 5:1: a second YAML document (after ---)
            merge key with a mapping | cases:\\n  - {id: one, prompt: hi, params: {<<: {max_tokens: 3}}}\\n | 4:36: cases[0].params.<<: YAML merge keys (<<) are not supported
            header name with a space | cases: [{id: one, prompt: hi}]\\n | 2:1: models[0].headers.bad name: a header name is letters, digits and !#$%&'*+-.^_`|~ only (an HTTP token); found a space at character 4
            """)
    void what_yaml_would_reinterpret_is_a_located_error(String name, String body, String expected) throws Exception {
        String models = name.startsWith("header") ? "models: [{id: a, model: claude-sonnet-4-6, headers: {\"bad name\": v}}]\n"
                : "models: [{id: a, model: claude-sonnet-4-6}]\n";
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, "name: meaning\n" + models + body.replace("\\n", "\n"));
        if (name.startsWith("header")) {
            expected = expected.replace("2:1:", "2:66:");
        }
        for (String command : new String[] {"run", "lint"}) {
            SecretEchoTest.Run r = SecretEchoTest.run(java.util.Map.of(), command, suite.toString());
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err().strip()).as(command).startsWith(suite + ":" + expected).doesNotContain("\n")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            line break in a value | {x-note: "a\\nb"} | models[0].headers.x-note: a header value is visible ASCII, with spaces or tabs only between characters; found a line break at character 2
            control character | {x-note: "a\\u0007b"} | models[0].headers.x-note: a header value is visible ASCII, with spaces or tabs only between characters; found a control character (U+0007) at character 2
            non-ASCII value | {x-note: "café"} | models[0].headers.x-note: a header value is visible ASCII, with spaces or tabs only between characters; found a non-ASCII character (U+00E9) at character 4
            colon in a name | {"x:note": v} | models[0].headers.x:note: a header name is letters, digits and !#$%&'*+-.^_`|~ only (an HTTP token); found ':' at character 2
            empty name | {"": v} | models[0].headers.: a header name cannot be empty
            restricted by the client | {Host: example.com} | models[0].headers.Host: 'host' is set by the HTTP client itself: remove this header
            a key in the suite | {x-api-key: sk-ant-api03-inline} | models[0].headers.x-api-key: credentials come from the environment (ANTHROPIC_API_KEY
            bearer in the suite | {Authorization: "Bearer abc"} | models[0].headers.Authorization: credentials come from the environment (ANTHROPIC_API_KEY
            """)
    void a_header_the_client_would_refuse_mid_run_is_refused_at_load(String name, String headers, String expected)
            throws Exception {
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, "name: headers\nmodels:\n  - id: a\n    model: claude-sonnet-4-6\n    headers: " + headers
                + "\ncases: [{id: one, prompt: hi}]\n");
        SecretEchoTest.Run r = SecretEchoTest.run(java.util.Map.of(), "run", suite.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).matches(java.util.regex.Pattern.quote(suite.toString()) + ":5:\\d+: .*")
                .contains(expected).doesNotContain("\n").doesNotContain("sk-ant-api03-inline");
        assertThat(dir.resolve("out/trials.jsonl")).doesNotExist();
    }
}
