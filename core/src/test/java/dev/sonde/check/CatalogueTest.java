package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.ex;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.api.Exchange;
import dev.sonde.suite.SuiteException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered type, once: an exchange it passes, one it fails, and its not- form (where it
 * has one) giving the opposite answers. The reasons must be one non-blank line.
 */
class CatalogueTest {
    private static final Set<String> BOUNDS = Set.of("latency", "ttft", "itl-p95", "cost", "output-tokens",
            "cache-read-tokens", "cache-hit-ratio", "word-count", "char-count", "no-tool-call", "assert-set");

    /** Types that judge the context, never the answer: no answer passes where another fails (ModelGradedChecksTest). */
    private static final Set<String> ANSWER_FREE = Set.of("context-recall", "context-relevance");

    record Row(String yaml, Exchange passes, Exchange fails, Double cost) {
        String type() {
            return Fixtures.spec(yaml).type();
        }

        @Override
        public String toString() {
            return type();
        }
    }

    /** Every type; {@code similar} only when this build has an embeddings model (-Pembeddings). */
    static List<Row> rows() {
        List<Row> rows = List.of(
                row("{type: contains, value: Paris}", text("It is Paris."), text("It is Lyon.")),
                row("{type: icontains, value: PARIS}", text("It is Paris."), text("It is Lyon.")),
                row("{type: contains-any, value: [Paris, Lyon]}", text("Lyon!"), text("Nice!")),
                row("{type: contains-all, value: [Paris, Lyon]}", text("Paris, Lyon"), text("Paris only")),
                row("{type: icontains-any, value: [paris, lyon]}", text("LYON"), text("NICE")),
                row("{type: icontains-all, value: [paris, lyon]}", text("PARIS LYON"), text("PARIS NICE")),
                row("{type: equals, value: positive}", text("  positive\n"), text("positive!")),
                row("{type: starts-with, value: P1}", text("\nP1: outage"), text("P2: outage")),
                row("{type: ends-with, value: Done.}", text("All steps ran. Done.\n"), text("Done. Then more")),
                row("{type: regex, value: '^\\d{4}-\\d{2}-\\d{2}$'}", text("2026-11-20"), text("20/11/2026")),
                row("{type: levenshtein, value: kitten, max_distance: 3}", text("sitting"), text("sitting down")),
                row("{type: word-count, min: 2, max: 4}", text("one two three"), text("one")),
                row("{type: char-count, max: 5}", text(" héllo "), text("hello!")),
                row("{type: is-json}", text("[1, 2]"), text("Sure: [1, 2]")),
                row("{type: json-schema, schema: {type: object, required: [a]}}", text("{\"a\": 1}"), text("{\"b\": 1}")),
                row("{type: contains-json}", text("Here: {\"a\": 1}. Done."), text("No JSON {here}.")),
                row("{type: json-path, path: '$.a.b[1]', equals: 2}", text("{\"a\": {\"b\": [1, 2]}}"),
                        text("{\"a\": {\"b\": [1, 3]}}")),
                row("{type: is-xml}", text("<a><b/></a>"), text("<a><b></a>")),
                row("{type: contains-xml, required_elements: answer.city}", text("So: <answer><city>Paris</city></answer>"),
                        text("So: <answer><town>Paris</town></answer>")),
                row("{type: rouge-n, value: the cat sat on the mat}", text("the cat sat on a mat"), text("a dog ran")),
                row("{type: bleu, value: the cat sat on the mat}", text("The cat sat on the mat"), text("a cat on a mat")),
                row("{type: is-sql, allowed_tables: [users]}", text("SELECT id FROM users"), text("SELECT id FROM admins")),
                row("{type: contains-sql}", text("Run:\n```sql\nSELECT 1;\n```"), text("Run:\n```sql\nSELEC 1;\n```")),
                row("{type: tool-called, name: get_weather}", ex().tool("get_weather", "{city: Paris}"),
                        ex().tool("get_time", "{}")),
                row("{type: tool-args, name: get_weather, value: {city: Paris}}",
                        ex().tool("get_weather", "{city: Paris, units: metric}"), ex().tool("get_weather", "{city: Lyon}")),
                row("{type: no-tool-call}", text("It is sunny."), ex().tool("get_weather", "{}")),
                row("{type: tool-sequence, value: [search, fetch]}", ex().tool("search", "{}").tool("fetch", "{}"),
                        ex().tool("fetch", "{}").tool("search", "{}")),
                row("{type: stop-reason, value: end_turn}", text("x"), text("x").stop("max_tokens")),
                row("{type: is-refusal}", text("I can't help with that."), text("Here is how.")),
                row("{type: thinking}", ex().thinking("hmm").text("4"), text("4")),
                row("{type: latency, max_ms: 500}", text("x").timesMs(100, 400, 10), text("x").timesMs(100, 600, 10)),
                row("{type: ttft, max_ms: 200}", text("x").timesMs(150, 400, 10), text("x").timesMs(250, 400, 10)),
                row("{type: itl-p95, max_ms: 50}", text("x").timesMs(100, 400, 10, 20, 40),
                        text("x").timesMs(100, 400, 10, 20, 60)),
                row("{type: cost, max_usd: 0.01}", text("x"), text("x")),
                row("{type: output-tokens, max: 100}", text("x").usage("{output_tokens: 100}"),
                        text("x").usage("{output_tokens: 101}")),
                row("{type: cache-read-tokens, min: 1000}", text("x").usage("{cache_read_input_tokens: 1000}"),
                        text("x").usage("{cache_read_input_tokens: 999}")),
                row("{type: cache-hit-ratio, min: 0.8}",
                        text("x").usage("{input_tokens: 20, cache_read_input_tokens: 80}"),
                        text("x").usage("{input_tokens: 21, cache_read_input_tokens: 79}")),
                row("{type: assert-set, assert: [{type: contains, value: a}, {type: contains, value: b}]}",
                        text("a b"), text("a")),
                row("{type: llm-rubric, value: 'mentions Paris.'}", text("It is Paris."), text("It is Lyon.")),
                row("{type: factuality, question: 'Capital of France?', value: Paris}", text("It is Paris."),
                        text("It is Lyon.")),
                row("{type: model-graded-closedqa, question: q, value: 'names Paris'}", text("Paris."), text("Lyon.")),
                row("{type: g-eval, question: q, value: [names the capital, is short]}", text("Paris."), text("Lyon.")),
                row("{type: context-faithfulness, question: q, context: 'Paris is the capital.', threshold: 1}",
                        text("Paris."), text("Lyon.")),
                row("{type: keyword-coverage, value: [Paris, France]}", text("Paris, France"), text("Paris, Texas")));
        return Embedders.get() == null ? rows : Stream.concat(rows.stream(), Stream.of(
                row("{type: similar, value: 'The capital of France is Paris.'}",
                        text("Paris is the capital city of France."), text("I bought a new bicycle yesterday.")),
                row("{type: answer-relevance, question: 'What is the capital of France?'}",
                        text("Paris is the capital of France."), text("I bought a new bicycle yesterday."))))
                .toList();
    }

    private static Row row(String yaml, Fixtures.Ex passes, Fixtures.Ex fails) {
        return new Row(yaml, passes.build(), fails.build(), 0.001);
    }

    static Stream<Arguments> cases() {
        return rows().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void each_type_passes_fails_and_says_why_in_one_line(Row row) throws SuiteException {
        Check c = check(row.yaml());
        CheckResult pass = c.evaluate(row.passes(), row.cost());
        CheckResult fail = c.evaluate(row.fails(), row.type().equals("cost") ? 0.02 : row.cost());

        assertThat(pass.pass()).as(pass.reason()).isTrue();
        assertThat(fail.pass()).as(fail.reason()).isFalse();
        assertThat(List.of(pass, fail)).allSatisfy(r -> {
            assertThat(r.type()).isEqualTo(row.type());
            assertThat(r.reason()).isNotBlank().doesNotContain("\n");
        });
    }

    @ParameterizedTest(name = "not-{0}")
    @MethodSource("cases")
    void each_negatable_type_has_a_not_form_with_the_opposite_verdict(Row row) throws SuiteException {
        String negated = row.yaml().replaceFirst("type: ", "type: not-");
        if (BOUNDS.contains(row.type())) {
            assertThatThrownBy(() -> check(negated))
                    .isInstanceOf(SuiteException.class)
                    .hasMessageContaining("s.yaml:7:9: cases[0].assert[0].type: 'not-" + row.type() + "'")
                    .hasMessageContaining("has no not- form");
            return;
        }
        Check not = check(negated);
        CheckResult onPass = not.evaluate(row.passes(), row.cost());
        CheckResult onFail = not.evaluate(row.fails(), row.cost());

        assertThat(onPass.pass()).isFalse();
        assertThat(onPass.type()).isEqualTo("not-" + row.type());
        assertThat(onPass.reason()).startsWith("must not hold, but it does: ");
        assertThat(onFail.pass()).isTrue();
        assertThat(onFail.reason()).startsWith("does not hold, as required: ");
    }

    @Test
    void the_table_above_covers_every_registered_type() {
        Set<String> registered = Checks.types().stream().filter(t -> !t.startsWith("not-"))
                .collect(Collectors.toCollection(java.util.HashSet::new));
        Set<String> tested = rows().stream().map(Row::type).collect(Collectors.toSet());

        if (Embedders.get() == null) {
            registered.remove("similar"); // tested by the embeddings profile's tests, and SimilarWithoutModelTest
            registered.remove("answer-relevance"); // likewise, and by ModelGradedChecksTest with a fake embedder
        }
        registered.removeAll(ANSWER_FREE);
        CompareCheck.TYPES.forEach(registered::remove); // judged across models: CompareChecksTest
        assertThat(tested).isEqualTo(registered);
        assertThat(Checks.types()).contains("not-contains", "not-is-xml", "not-tool-called", "not-thinking")
                .doesNotContain("not-latency", "not-word-count", "not-no-tool-call", "not-assert-set");
    }

    @Test
    void weight_is_accepted_on_every_type() throws SuiteException {
        for (Row row : rows()) {
            String weighted = row.yaml().replaceFirst("^\\{", "{weight: 2, ");
            assertThat(check(weighted).evaluate(row.passes(), row.cost()).pass()).as(row.type()).isTrue();
        }
    }
}
