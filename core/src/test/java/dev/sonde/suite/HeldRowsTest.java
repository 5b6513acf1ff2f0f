package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset's prompt cases held as rows ({@link DatasetCases}) and the plan computed from the
 * index ({@link PlannedTrials}) give exactly what binding every case up front and storing every
 * trial gave: the same cases, ids, trials, bodies and order, from any thread.
 */
class HeldRowsTest {
    @TempDir
    Path dir;

    private Suite load(String casesYaml, int repeat) throws Exception {
        Files.writeString(dir.resolve("rows.jsonl"), """
                {"id": "fr", "country": "France", "capital": "Paris", "population": 68.4, "tags": ["eu", "g7"]}
                {"country": "Japan", "capital": "Tokyo", "population": 125, "tags": []}
                {"id": 7, "country": "Chile", "capital": "Santiago", "population": null, "tags": false}
                """);
        Files.writeString(dir.resolve("rows.csv"), "country,capital\nPeru,Lima\n\"Korea, South\",Seoul\n");
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: held
                models:
                  - {id: a, model: claude-sonnet-4-6}
                  - {id: b, model: claude-haiku-4-5, stream: false}
                  - {id: c, model: claude-opus-4-1}
                defaults: {vars: {tone: brief}, system: "Answer {{tone}}ly."}
                cases:
                %s
                run: {repeat: %d}
                """.formatted(casesYaml, repeat));
        return SuiteLoader.load(f);
    }

    private static final String CASES = """
              - id: first
                prompt: "hello"
              - id: cap
                cases_from: rows.jsonl
                prompt: "Be {{tone}}: capital of {{country}}?{{#tags}} [{{.}}]{{/tags}} ({{population}})"
                params: {temperature: 0.2}
                assert: [{type: contains, value: "{{capital}}"}, {type: latency, max_ms: 9000}]
              - id: only
                cases_from: rows.csv
                models: [b, c]
                prompt: "{{country}}?"
                assert: [{type: contains, value: "{{capital}}"}]
              - id: last
                models: [c]
                messages: [{role: user, content: "bye"}]
            """;

    @Test
    void held_rows_bind_to_the_cases_their_ids_say_every_time() throws Exception {
        Suite s = load(CASES, 1);
        assertThat(s.cases()).isInstanceOf(CaseList.class);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < s.cases().size(); i++) {
            ids.add(s.caseId(i));
            assertThat(s.cases().get(i).id()).isEqualTo(s.caseId(i));
            assertThat(s.cases().get(i)).as("bound again, equal").isEqualTo(s.cases().get(i));
        }
        assertThat(ids).containsExactly("first", "cap-fr", "cap-2", "cap-7", "only-1", "only-2", "last");
        CaseSpec japan = s.cases().get(2);
        assertThat(japan.messages().get(0).get("content").asText()).isEqualTo("Be brief: capital of Japan? (125)");
        assertThat(s.cases().get(1).messages().get(0).get("content").asText())
                .isEqualTo("Be brief: capital of France? [eu] [g7] (68.4)");
        assertThat(s.cases().get(3).messages().get(0).get("content").asText()).endsWith("Chile? ()");
        assertThat(japan.asserts().get(0).config().get("value").asText()).isEqualTo("Tokyo");
        assertThat(japan.asserts().get(1)).as("an assertion alike in every row is shared")
                .isSameAs(s.cases().get(1).asserts().get(1));
        assertThat(japan.system().asText()).isEqualTo("Answer briefly.");
        assertThat(japan.params().get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(s.cases().get(4).models()).containsExactly("b", "c");
        assertThat(s.caseRunsOn(4, s.model("a"))).isFalse();
        assertThat(s.caseRunsOn(4, s.model("b"))).isTrue();
    }

    @Test
    void the_computed_plan_is_the_nested_loop_over_cases_models_and_repeats() throws Exception {
        for (String cases : List.of(CASES, CASES.substring(0, CASES.indexOf("  - id: only")))) {
            Suite s = load(cases, 3);
            List<String> expected = new ArrayList<>();
            for (CaseSpec c : s.cases()) {
                for (ModelSpec m : s.models()) {
                    for (int r = 0; c.runsOn(m) && r < 3; r++) {
                        expected.add(Trial.idOf(c.id(), m.id(), r));
                    }
                }
            }
            List<Trial> plan = Plan.expand(s);
            assertThat(plan).isInstanceOf(PlannedTrials.class);
            assertThat(plan.stream().map(Trial::id).toList()).isEqualTo(expected);
            for (Trial t : plan) {
                assertThat(t.caseSpec().id()).isEqualTo(t.caseId());
                assertThat(t.body()).isEqualTo(Plan.body(s, t.caseSpec(), t.model()));
                assertThat(t.headers()).isEqualTo(t.model().headers());
            }
            assertThat(plan.get(plan.size() - 1)).isEqualTo(plan.get(plan.size() - 1));
        }
    }

    @Test
    void held_rows_bind_alike_from_many_threads_at_once() throws Exception {
        Suite s = load(CASES, 2);
        List<Trial> plan = Plan.expand(s);
        List<String> once = plan.stream().map(t -> t.id() + " " + t.body()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> again = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                again.add(pool.submit(() -> plan.stream().map(t -> t.id() + " " + t.body()).toList()));
            }
            for (Future<List<String>> f : again) {
                assertThat(f.get()).isEqualTo(once);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
