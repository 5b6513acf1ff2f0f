package dev.sonde.cli;

import dev.sonde.session.SuiteSession;
import dev.sonde.testing.Analyses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.LatencyProfile;
import dev.sonde.metrics.Clock;
import dev.sonde.run.TrialListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --cache replays identical requests: same verdicts, no request sent, nothing counted as measured. */
class ResponseCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private SuiteSession.Evaluated run(Path suite, Emulator emu, String out) throws Exception {
        return (SuiteSession.Evaluated) SuiteSession.run(new SuiteSession.Options(suite, emu.baseUri().toString(),
                dir.resolve(out), null, null, dir, Map.of("ANTHROPIC_API_KEY", "k"), TrialListener.NONE, Clock.system(),
                null, false, null, false, true, List.of(), List.of()));
    }

    private List<JsonNode> journal(String out) throws Exception {
        try (Stream<String> lines = Files.lines(dir.resolve(out).resolve("trials.jsonl"))) {
            return lines.map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    void a_second_run_replays_every_answer_without_sending_or_measuring() throws Exception {
        Path suite = dir.resolve("s.yaml");
        Files.writeString(suite, """
                name: cached
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 30}}]
                cases:
                  - {id: a, prompt: "Tell me about harbours", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                  - {id: b, prompt: "Tell me about bridges", assert: [{type: contains, value: bridge}]}
                run: {repeat: 2}
                """);
        EmulatorConfig config = EmulatorConfig.builder().latency(List.of(new LatencyProfile("*", 5, 0, 0, 0))).build();
        try (Emulator emu = Emulator.start(config)) {
            SuiteSession.Evaluated first = run(suite, emu, "first");
            long sent = emu.requestCount();
            SuiteSession.Evaluated second = run(suite, emu, "second");

            assertThat(sent).isEqualTo(4);
            assertThat(emu.requestCount()).as("nothing sent the second time").isEqualTo(4);
            try (Stream<Path> files = Files.list(dir.resolve(".sonde-cache"))) {
                assertThat(files.filter(p -> p.toString().endsWith(".json")).count()).isEqualTo(4);
            }
            List<JsonNode> a = journal("first");
            List<JsonNode> b = journal("second");
            assertThat(a).allSatisfy(t -> assertThat(t.get("replayed").asBoolean()).isFalse());
            assertThat(b).allSatisfy(t -> {
                assertThat(t.get("replayed").asBoolean()).isTrue();
                assertThat(t.get("timings").isNull()).isTrue();
                assertThat(t.get("cost_usd").asDouble()).isZero();
            });
            assertThat(b.stream().map(t -> t.get("trial_id").asText() + t.get("pass").asText() + t.get("output_text").asText())
                    .sorted().toList())
                    .isEqualTo(a.stream().map(t -> t.get("trial_id").asText() + t.get("pass").asText()
                            + t.get("output_text").asText()).sorted().toList());
            assertThat(Analyses.summary(first.result()).total().ttftMs().count()).isEqualTo(4);
            assertThat(Analyses.summary(second.result()).total().ttftMs().count()).as("replays are not latency samples").isZero();
            assertThat(Analyses.summary(second.result()).total().costUsd()).isZero();
            assertThat(Analyses.summary(second.result()).total().trials()).isEqualTo(4);
        }
    }
}
