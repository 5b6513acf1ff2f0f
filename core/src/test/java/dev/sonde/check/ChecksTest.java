package dev.sonde.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.Location;
import dev.sonde.suite.SuiteException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Location AT = new Location(Path.of("s.yaml"), 7, 9);

    private static Check check(String yamlishJson) throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(yamlishJson);
        return Checks.create(new AssertSpec(config.get("type").asText(), config, AT, "cases[0].assert[0]"));
    }

    private static Exchange answer(String text, String stopReason, long ttftMs, long e2eMs) {
        Timings t = new Timings(1_000_000, ttftMs < 0 ? -1 : ttftMs * 1_000_000, ttftMs < 0 ? -1 : ttftMs * 1_000_000,
                e2eMs * 1_000_000, new long[0], ttftMs < 0 ? 0 : 1);
        return new Exchange(200, "req_1", "claude-sonnet-4-6", List.of(new ContentBlock.Text(text)), stopReason, null,
                Usage.NONE, t, null);
    }

    @Test
    void text_checks_pass_and_fail_with_the_observed_text_in_the_reason() throws Exception {
        Exchange paris = answer("The capital of France is Paris.", "end_turn", 100, 300);

        assertThat(check("{\"type\":\"contains\",\"value\":\"Paris\"}").evaluate(paris, null).pass()).isTrue();
        CheckResult miss = check("{\"type\":\"contains\",\"value\":\"Lyon\"}").evaluate(paris, null);
        assertThat(miss.pass()).isFalse();
        assertThat(miss.reason()).isEqualTo("expected to contain \"Lyon\" but the output was \"The capital of France is Paris.\"");
        assertThat(check("{\"type\":\"icontains\",\"value\":[\"PARIS\",\"france\"]}").evaluate(paris, null).pass()).isTrue();
        assertThat(check("{\"type\":\"icontains\",\"value\":[\"PARIS\",\"spain\"]}").evaluate(paris, null).pass()).isFalse();
        assertThat(check("{\"type\":\"equals\",\"value\":\"The capital of France is Paris.\"}").evaluate(paris, null).pass()).isTrue();
        assertThat(check("{\"type\":\"starts-with\",\"value\":\"The capital\"}").evaluate(paris, null).pass()).isTrue();
        assertThat(check("{\"type\":\"regex\",\"value\":\"\\\\bPar[a-z]+\\\\.$\"}").evaluate(paris, null).pass()).isTrue();
        assertThat(check("{\"type\":\"not-contains\",\"value\":\"Lyon\"}").evaluate(paris, null).pass()).isTrue();
        CheckResult notParis = check("{\"type\":\"not-contains\",\"value\":\"Paris\"}").evaluate(paris, null);
        assertThat(notParis.pass()).isFalse();
        assertThat(notParis.type()).isEqualTo("not-contains");
    }

    @Test
    void is_json_accepts_a_fenced_object_and_applies_an_optional_schema() throws Exception {
        Exchange fenced = answer("```json\n{\"name\": \"Ada\", \"age\": 36}\n```", "end_turn", 10, 20);
        Exchange prose = answer("Sure! {\"name\": \"Ada\"}", "end_turn", 10, 20);

        assertThat(check("{\"type\":\"is-json\"}").evaluate(fenced, null).pass()).isTrue();
        assertThat(check("{\"type\":\"is-json\"}").evaluate(prose, null).pass()).isFalse();
        String schema = "{\"type\":\"is-json\",\"schema\":{\"type\":\"object\",\"required\":[\"name\",\"email\"]}}";
        CheckResult r = check(schema).evaluate(fenced, null);
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).contains("email");
        assertThat(check("{\"type\":\"not-is-json\"}").evaluate(prose, null).pass()).isTrue();
    }

    @Test
    void stop_reason_and_thresholds_report_the_observed_value_and_fail_when_nothing_was_measured() throws Exception {
        Exchange ex = answer("ok", "max_tokens", 250, 900);

        assertThat(check("{\"type\":\"stop-reason\",\"value\":[\"end_turn\",\"max_tokens\"]}").evaluate(ex, null).pass()).isTrue();
        assertThat(check("{\"type\":\"stop-reason\",\"value\":\"end_turn\"}").evaluate(ex, null).reason())
                .isEqualTo("expected stop_reason end_turn, got max_tokens");
        assertThat(check("{\"type\":\"ttft\",\"max_ms\":300}").evaluate(ex, null).reason()).isEqualTo("ttft 250.0 ms ≤ 300 ms");
        assertThat(check("{\"type\":\"ttft\",\"max_ms\":200}").evaluate(ex, null).pass()).isFalse();
        assertThat(check("{\"type\":\"latency\",\"max_ms\":800}").evaluate(ex, null).reason()).isEqualTo("e2e 900.0 ms > 800 ms");
        assertThat(check("{\"type\":\"cost\",\"max_usd\":0.001}").evaluate(ex, 0.0004).pass()).isTrue();
        assertThat(check("{\"type\":\"cost\",\"max_usd\":0.001}").evaluate(ex, 0.002).pass()).isFalse();
        CheckResult unpriced = check("{\"type\":\"cost\",\"max_usd\":0.001}").evaluate(ex, null);
        assertThat(unpriced.pass()).isFalse();
        assertThat(unpriced.reason()).contains("unpriced");
        CheckResult noStream = check("{\"type\":\"ttft\",\"max_ms\":300}").evaluate(answer("ok", "end_turn", -1, 500), null);
        assertThat(noStream.pass()).isFalse();
        assertThat(noStream.reason()).contains("no TTFT");
    }

    @Test
    void bad_parameters_are_suite_errors_at_the_assertion() {
        assertThatThrownBy(() -> check("{\"type\":\"contains\"}"))
                .isInstanceOf(SuiteException.class)
                .hasMessage("s.yaml:7:9: cases[0].assert[0].value: 'contains' needs a 'value': a string or a list of strings");
        assertThatThrownBy(() -> check("{\"type\":\"regex\",\"value\":\"(unclosed\"}"))
                .hasMessageContaining("not a valid regular expression");
        assertThatThrownBy(() -> check("{\"type\":\"ttft\",\"max_ms\":\"fast\"}"))
                .hasMessageContaining("cases[0].assert[0].max_ms: 'ttft' needs a positive number 'max_ms'");
        assertThatThrownBy(() -> check("{\"type\":\"contain\",\"value\":\"x\"}"))
                .hasMessageContaining("unknown assertion type 'contain'");
    }

    @Test
    void an_unknown_type_in_a_suite_is_reported_at_its_position_with_the_known_types(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("s.yaml");
        java.nio.file.Files.writeString(f, """
                name: t
                models: [{id: m, model: claude-sonnet-4-6}]
                cases:
                  - id: a
                    prompt: hi
                    assert: [{type: containz, value: x}]
                """);
        var suite = dev.sonde.suite.SuiteLoader.load(f);
        assertThatThrownBy(() -> Checks.createAll(suite.cases().get(0).asserts()))
                .hasMessageStartingWith(f + ":6:14: cases[0].assert[0].type: unknown assertion type 'containz'"
                        + " (did you mean 'contains'?) (known: ")
                .hasMessageContaining("contains, contains-all, contains-any, contains-json, contains-sql, contains-xml, ")
                .hasMessageEndingWith("; not-<type> negates all but bounds, no-tool-call and assert-set)");
    }

    @Test
    void a_snake_case_type_or_one_written_with_its_unit_is_suggested_in_kebab_case(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("s.yaml");
        java.nio.file.Files.writeString(f, """
                name: t
                models: [{id: m, model: claude-sonnet-4-6}]
                cases:
                  - id: a
                    prompt: hi
                    assert: [{type: is_json}, {type: ttft_ms, max_ms: 800}]
                """);
        var asserts = dev.sonde.suite.SuiteLoader.load(f).cases().get(0).asserts();
        assertThatThrownBy(() -> Checks.create(asserts.get(0)))
                .hasMessageStartingWith(f + ":6:14: cases[0].assert[0].type: unknown assertion type 'is_json'"
                        + " (did you mean 'is-json'?) (known: ");
        assertThatThrownBy(() -> Checks.create(asserts.get(1)))
                .hasMessageStartingWith(f + ":6:31: cases[0].assert[1].type: unknown assertion type 'ttft_ms'"
                        + " (did you mean 'ttft'?) (known: ");
    }

    @Test
    void every_shipped_suite_builds_its_checks() throws Exception {
        Path suites = Path.of("..", "suites");
        List<Path> files = new ArrayList<>();
        try (var list = java.nio.file.Files.list(suites)) {
            list.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            for (var c : dev.sonde.suite.SuiteLoader.load(f).cases()) {
                assertThat(CheckSet.create(c.asserts(), null, Fixtures.GRADERS).checks()).hasSameSizeAs(c.asserts());
            }
        }
    }

    @Test
    void a_schema_that_breaks_the_meta_schema_is_a_suite_error() {
        assertThatThrownBy(() -> check("{\"type\":\"is-json\",\"schema\":{\"type\":\"objekt\"}}"))
                .isInstanceOf(SuiteException.class)
                .hasMessageStartingWith("s.yaml:7:9: cases[0].assert[0].schema: invalid JSON Schema: ")
                .hasMessageContaining("/type");
    }
}
