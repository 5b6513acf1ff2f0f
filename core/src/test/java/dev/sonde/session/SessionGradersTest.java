package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.check.Grader;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which provider and headers a grader's requests go through. */
class SessionGradersTest {
    @TempDir
    Path dir;

    @Test
    void a_grader_named_by_api_id_goes_through_the_first_anthropic_model_with_its_headers() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                name: s
                models:
                  - {id: gw, model: claude-sonnet-4-6, headers: {x-gateway-route: team-a}}
                grader: {model: claude-haiku-4-5}
                cases: [{id: c, prompt: hi}]
                """);
        Suite suite = SuiteLoader.load(file);
        List<MessageRequest> sent = new ArrayList<>();
        Provider recording = new Provider() {
            @Override
            public Exchange send(MessageRequest request) {
                sent.add(request);
                return new Exchange(200, "req", "m", List.of(new ContentBlock.Text("{\"pass\": true}")), "end_turn", null,
                        Usage.fromJson(JsonNodeFactory.instance.objectNode().put("input_tokens", 1).put("output_tokens", 1)),
                        Timings.NONE, null);
            }

            @Override
            public String endpoint() {
                return "recording";
            }
        };
        Grader g = new SessionGraders(suite, Map.of("gw", recording), PricingTable.defaults(), new ManualClock())
                .resolve(null, null);
        g.ask("s", "p", JsonNodeFactory.instance.objectNode().put("type", "object"));
        assertThat(g.model()).isEqualTo("claude-haiku-4-5");
        assertThat(sent.get(0).body().get("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(sent.get(0).headers()).containsEntry("x-gateway-route", "team-a");
    }

    @Test
    void an_unpriced_grader_under_max_usd_is_refused_when_the_check_is_built() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                name: s
                models:
                  - {id: s, model: claude-sonnet-4-6}
                  - {id: local, model: local-llama-3}
                grader: {model: local}
                budget: {max_usd: 1}
                cases: [{id: c, prompt: hi}]
                """);
        SessionGraders graders = new SessionGraders(SuiteLoader.load(file), Map.of(), PricingTable.defaults(),
                new ManualClock());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> graders.resolve(null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grader model 'local' (local-llama-3) is unpriced, so budget.max_usd cannot bound what grading "
                        + "spends: price it (pricing:) or grade with a priced model");
        assertThat(graders.resolve("s", null).model()).isEqualTo("s"); // a priced one is fine
    }
}
