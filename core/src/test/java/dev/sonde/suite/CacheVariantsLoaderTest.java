package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code variants:} and {@code sequence:}: binding, placement into bodies, plan ids and located errors. */
class CacheVariantsLoaderTest {
    @TempDir
    Path dir;

    private static final String HEAD = """
            name: cache
            models: [{id: sonnet, model: claude-sonnet-4-6}]
            defaults:
              system: "Long policy text."
              params:
                tools: [{name: a, input_schema: {type: object}, cache_control: {type: ephemeral}}, {name: b, input_schema: {type: object}}]
            cases:
              - id: q
                messages:
                  - role: user
                    content:
                      - {type: document, source: {type: text, media_type: text/plain, data: "Handbook."}}
                      - {type: text, text: "Question?", cache_control: {type: ephemeral}}
            """;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void places_breakpoints_after_stripping_the_suites_own_and_plans_sequence_ids() throws Exception {
        Suite s = SuiteLoader.load(write(HEAD + """
                variants:
                  - {id: none, cache: none}
                  - id: two
                    cache: [{at: system, ttl: 1h}, {at: document}]
                    sequence: {concurrency: 2, warmup: false}
                sequence: {requests: 3, inter_arrival_s: [60, 420], warmup: true}
                """));
        assertThat(s.variants()).extracting(CacheVariant::id).containsExactly("none", "two");
        assertThat(s.variants().get(1).sequence())
                .isEqualTo(new SequenceSpec(3, List.of(Duration.ofSeconds(60), Duration.ofSeconds(420)), 2, false));
        List<Trial> plan = Plan.expand(s);
        assertThat(plan).extracting(Trial::id).containsExactly("q/sonnet/none/warmup", "q/sonnet/none/0",
                "q/sonnet/none/1", "q/sonnet/none/2", "q/sonnet/two/0", "q/sonnet/two/1", "q/sonnet/two/2");
        JsonNode none = plan.get(1).body();
        assertThat(none.toString()).doesNotContain("cache_control");
        JsonNode two = plan.get(4).body();
        assertThat(two.path("tools").get(0).has("cache_control")).isFalse();
        assertThat(two.path("system").get(0).path("text").asText()).isEqualTo("Long policy text.");
        assertThat(two.path("system").get(0).path("cache_control").toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");
        JsonNode content = two.path("messages").get(0).path("content");
        assertThat(content.get(0).path("cache_control").toString()).isEqualTo("{\"type\":\"ephemeral\"}");
        assertThat(content.get(1).has("cache_control")).isFalse();
        assertThat(SequencePlan.Position.of("q/sonnet/two/2")).isEqualTo(new SequencePlan.Position("q", "sonnet", "two", 2, false));
        assertThat(SequencePlan.Position.of("q/sonnet/0")).isNull();
        SequenceSpec seq = s.variants().get(0).sequence();
        assertThat(seq.arrivals()).isEqualTo(4);
        assertThat(seq.offsetOf(3)).isEqualTo(Duration.ofSeconds(60 + 420 + 60));
    }

    @Test
    void last_user_turns_a_string_turn_into_a_marked_text_block() throws Exception {
        Suite s = SuiteLoader.load(write("""
                name: cache
                models: [{id: sonnet, model: claude-sonnet-4-6}]
                cases: [{id: q, prompt: "Hello there"}]
                variants: [{id: u, cache: [{at: last_user, ttl: 1h}]}]
                """));
        assertThat(Plan.expand(s).get(0).body().path("messages").get(0).path("content").toString())
                .isEqualTo("[{\"type\":\"text\",\"text\":\"Hello there\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]");
        assertThat(s.variants().get(0).sequence()).isEqualTo(SequenceSpec.DEFAULT);
        assertThatThrownBy(() -> SuiteLoader.load(write("""
                name: cache
                models: [{id: sonnet, model: claude-sonnet-4-6}]
                cases: [{id: q, prompt: "Hello there"}]
                variants: [{id: t, cache: [{at: tools}]}]
                """)))
                .hasMessageEndingWith("suite.yaml:4:33: variants[0].cache[0].at: the request has no tools to mark in case 'q' "
                        + "on model 'sonnet'");
    }

    @Test
    void a_suite_without_variants_plans_as_before() throws Exception {
        Suite s = SuiteLoader.load(write(HEAD));
        assertThat(s.variants()).isEmpty();
        assertThat(Plan.expand(s)).extracting(Trial::id).containsExactly("q/sonnet/0");
        assertThat(Plan.expand(s).get(0).body().path("tools").get(0).has("cache_control")).isTrue();
    }

    @Test
    void shards_keep_a_sequence_whole() throws Exception {
        Suite s = SuiteLoader.load(write(HEAD + """
                variants: [{id: a, cache: none}, {id: b, cache: [{at: tools}]}, {id: c, cache: [{at: system}]}]
                sequence: {requests: 4}
                """));
        List<Trial> plan = Plan.expand(s);
        List<Trial> one = Shards.select(plan, Shards.Shard.parse("1/2"));
        List<Trial> two = Shards.select(plan, Shards.Shard.parse("2/2"));
        assertThat(one.size() + two.size()).isEqualTo(plan.size());
        for (List<Trial> shard : List.of(one, two)) {
            shard.stream().map(t -> SequencePlan.Position.of(t.id()).sequence()).distinct().forEach(seq ->
                    assertThat(shard.stream().filter(t -> t.id().startsWith(seq + "/")).count()).isEqualTo(4));
        }
    }

    private void assertError(String variants, String located, String field, String problem) throws Exception {
        assertThatThrownBy(() -> SuiteLoader.load(write(HEAD + variants)))
                .isInstanceOf(SuiteException.class)
                .hasMessageContaining("suite.yaml:" + located + ": " + field + ": " + problem);
    }

    @Test
    void an_unknown_placement_is_an_error_at_it() throws Exception {
        assertError("variants: [{id: x, cache: [{at: toolz}]}]\n", "14:33", "variants[0].cache[0].at",
                "unknown placement 'toolz'");
    }

    @Test
    void a_placement_pointing_nowhere_names_the_case() throws Exception {
        assertError("variants:\n  - id: x\n    cache: [{at: \"messages[0].content[5]\"}]\n", "16:18", "variants[0].cache[0].at",
                "messages[0] has no content[5] (2 block(s)) in case 'q' on model 'sonnet'");
    }

    @Test
    void a_1h_breakpoint_after_a_5m_one_is_refused_like_the_api_does() throws Exception {
        assertError("variants: [{id: x, cache: [{at: tools}, {at: system, ttl: 1h}]}]\n", "14:46",
                "variants[0].cache[1].at", "a 1h breakpoint ('system') may not come after a 5m one");
    }

    @Test
    void a_sequence_without_variants_and_duplicate_ids_are_errors() throws Exception {
        assertError("sequence: {requests: 3}\n", "14:11", "sequence", "a sequence drives cache variants");
        assertError("variants: [{id: x, cache: none}, {id: x, cache: none}]\n", "14:39", "variants[1].id",
                "duplicate variant id 'x'");
        assertError("variants: [{id: x, cache: nothing}]\n", "14:27", "variants[0].cache", "'nothing' is not a placement list");
    }

    @Test
    void variants_with_a_model_comparison_are_refused_at_compare() throws Exception {
        assertError("variants: [{id: x, cache: none}]\ncompare: {baseline: sonnet, candidates: [sonnet]}\n", "15:10",
                "compare", "a suite with variants compares cache layouts, not models");
    }
}
