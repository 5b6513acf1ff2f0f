package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.api.Exchange;
import dev.sonde.api.ServerHints;
import dev.sonde.journal.RunInfo;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.testing.ScriptedProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own timings (Bedrock's invocation metrics) are journaled beside the client's TTFT, and only when sent. */
class ServerTimingsJournalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private List<JsonNode> run(Exchange... answers) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: r
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                cases:
                  - {id: c0, prompt: "capital of France?", assert: [{type: contains, value: Paris}]}
                  - {id: c1, prompt: "capital of France?", assert: [{type: contains, value: Paris}]}
                run: {concurrency: 1}
                """);
        Suite suite = SuiteLoader.load(f);
        RunInfo meta = new RunInfo("r", "s.yaml", "run", "x", true, Instant.EPOCH, null, 0, 0, 0, List.of(), null, "t", "21");
        new Runner(ScriptedProvider.answers(answers).serial(), PricingTable.defaults(), new ManualClock(), TrialListener.NONE)
                .run(suite, Plan.expand(suite), 1, meta, dir.resolve("out"));
        return Files.readAllLines(dir.resolve("out/trials.jsonl")).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    private static Exchange withHints(Exchange e, ServerHints hints) {
        return new Exchange(e.status(), e.requestId(), e.model(), e.content(), e.stopReason(), e.stopSequence(), e.usage(),
                e.timings(), e.failure(), hints);
    }

    @Test
    void server_first_byte_and_latency_are_journaled_when_the_server_gave_them_and_omitted_otherwise() throws Exception {
        Exchange measured = withHints(RetriesAndBudgetTest.ok("claude-sonnet-4-6", 10, 2),
                ServerHints.NONE.withServerTimings(304, 812));
        Exchange hostile = withHints(RetriesAndBudgetTest.ok("claude-sonnet-4-6", 10, 2),
                ServerHints.NONE.withServerTimings(-5, Double.POSITIVE_INFINITY));

        List<JsonNode> trials = run(measured, hostile);

        JsonNode first = trials.stream().filter(t -> t.path("case").asText().equals("c0")).findFirst().orElseThrow();
        JsonNode second = trials.stream().filter(t -> t.path("case").asText().equals("c1")).findFirst().orElseThrow();
        assertThat(first.path("server_first_byte_ms").asDouble()).isEqualTo(304.0);
        assertThat(first.path("server_latency_ms").asDouble()).isEqualTo(812.0);
        assertThat(first.path("timings").path("ttft_ms").asDouble()).isEqualTo(60.0);
        assertThat(second.has("server_first_byte_ms")).isFalse();
        assertThat(second.has("server_latency_ms")).isFalse();
        List<String> names = new java.util.ArrayList<>();
        first.fieldNames().forEachRemaining(names::add);
        assertThat(names.indexOf("server_first_byte_ms")).isGreaterThan(names.indexOf("timings"));
    }
}
