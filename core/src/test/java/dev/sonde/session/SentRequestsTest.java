package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The body a shown row asks for is the first one the plan made for that case and model, found without a map of cases. */
class SentRequestsTest {
    @TempDir
    Path dir;

    @Test
    void each_case_and_model_finds_its_first_trials_body_and_nothing_else_is_found() throws Exception {
        StringBuilder csv = new StringBuilder("topic\n");
        for (int i = 0; i < 3_000; i++) {
            csv.append("harbour ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("rows.csv"), csv);
        Files.writeString(dir.resolve("s.yaml"), """
                name: sent
                models:
                  - {id: a, model: claude-sonnet-4-6}
                  - {id: b, model: claude-haiku-4-5, params: {max_tokens: 7}}
                cases:
                  - {id: first, prompt: "hello", models: [b]}
                  - {id: c, cases_from: rows.csv, prompt: "Tell me about {{topic}}"}
                run: {repeat: 3}
                """);
        Suite suite = SuiteLoader.load(dir.resolve("s.yaml"));
        List<Trial> plan = Plan.expand(suite);
        SentRequests sent = new SentRequests(plan);

        for (int i = 0; i < plan.size(); i += 7) {
            Trial t = plan.get(i);
            assertThat(sent.apply(t.caseId() + "/" + t.model().id())).as(t.id()).isEqualTo(t.body());
        }
        assertThat(sent.apply("c-2999/b").get("messages").get(0).get("content").asText()).isEqualTo("Tell me about harbour 2998");
        assertThat(sent.apply("c-2999/b").get("max_tokens").asInt()).isEqualTo(7);
        assertThat(sent.apply("first/a")).as("first runs on b only").isNull();
        assertThat(sent.apply("c-3001/a")).isNull();
        assertThat(sent.apply("nope")).isNull();

        // trials made with their case (as a cache variant's are) are told apart by their case ids
        List<Trial> fixed = plan.subList(0, 40).stream()
                .map(t -> new Trial(t.id(), t.caseSpec(), t.model(), t.repeat(), t.body(), t.headers())).toList();
        SentRequests fixedSent = new SentRequests(fixed);
        for (Trial t : fixed) {
            assertThat(fixedSent.apply(t.caseId() + "/" + t.model().id())).as(t.id()).isEqualTo(t.body());
        }
        assertThat(fixed.get(1).sameCase(plan.get(0))).isTrue();
        assertThat(plan.get(0).sameCase(plan.get(3))).as("first has 3 trials, then c-1's").isFalse();
        assertThat(plan.get(3).sameCase(plan.get(8))).isTrue();
    }
}
