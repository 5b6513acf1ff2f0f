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

    @Test
    void a_replayed_answer_was_never_timed_so_its_latency_checks_do_not_apply_and_the_case_still_passes()
            throws Exception {
        Path suite = dir.resolve("s.yaml");
        Files.writeString(suite, """
                name: cached-latency
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 30}}]
                defaults: {assert: [{type: latency, max_ms: 30000}]}
                cases:
                  - {id: a, prompt: "Tell me about harbours", assert: [{type: ttft, max_ms: 30000}]}
                  - {id: b, prompt: "Tell me about bridges", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
                """);
        EmulatorConfig config = EmulatorConfig.builder().latency(List.of(new LatencyProfile("*", 5, 0, 0, 0))).build();
        try (Emulator emu = Emulator.start(config)) {
            SuiteSession.Evaluated first = run(suite, emu, "first");
            SuiteSession.Evaluated second = run(suite, emu, "second");

            assertThat(journal("first")).allSatisfy(t -> {
                assertThat(t.get("pass").asBoolean()).isTrue();
                assertThat(t.has("untimed")).isFalse();
                assertThat(t.get("checks").findValues("applicable")).isEmpty();
            });
            String why = "replayed from the response cache (--cache): nothing was timed in this run";
            List<JsonNode> b = journal("second");
            assertThat(b).allSatisfy(t -> assertThat(t.get("untimed").asText()).isEqualTo(why));
            JsonNode harbours = b.stream().filter(t -> t.get("case").asText().equals("a")).findFirst().orElseThrow();
            assertThat(harbours.get("pass").asBoolean()).as("its checks were all about time").isFalse();
            assertThat(harbours.get("error").isNull()).isTrue();
            assertThat(harbours.get("checks")).allSatisfy(c -> {
                assertThat(c.get("applicable").asBoolean()).isFalse();
                assertThat(c.get("reason").asText()).isEqualTo("not applicable: " + why);
            });
            JsonNode bridges = b.stream().filter(t -> t.get("case").asText().equals("b")).findFirst().orElseThrow();
            assertThat(bridges.get("pass").asBoolean()).as("decided by the check that applies").isTrue();
            assertThat(first.verdict().ok()).isTrue();
            assertThat(Analyses.summary(second.result()).total().notEvaluated()).isEqualTo(1);
            assertThat(Analyses.summary(second.result()).total().passed()).isEqualTo(1);
            assertThat(Analyses.summary(second.result()).total().failed()).isZero();
            assertThat(Analyses.summary(second.result()).total().untimedTrials()).isEqualTo(2);
            assertThat(second.verdict().ok()).isTrue();
        }
    }

    @Test
    void a_replayed_answer_keeps_its_emulator_filler_mark_and_an_entry_written_without_it_is_not_filler()
            throws Exception {
        Path suite = dir.resolve("s.yaml");
        Files.writeString(suite, """
                name: cached-filler
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 30}}]
                cases:
                  - {id: a, prompt: "Tell me about harbours", assert: [{type: contains, value: harbour}]}
                run: {repeat: 3}
                """);
        EmulatorConfig config = EmulatorConfig.builder().latency(List.of(new LatencyProfile("*", 5, 0, 0, 0))).build();
        try (Emulator emu = Emulator.start(config)) { // no rules: every answer is filler
            SuiteSession.Evaluated first = run(suite, emu, "first");
            SuiteSession.Evaluated second = run(suite, emu, "second");

            String line = "3 of 3 answers are emulator filler: no rule matched — record them with --record, or write rules";
            assertThat(first.analysis().filler().line()).isEqualTo(line);
            assertThat(journal("second")).allSatisfy(t -> {
                assertThat(t.get("replayed").asBoolean()).isTrue();
                assertThat(t.get("emulator_filler").asBoolean()).as(t.toString()).isTrue();
            });
            assertThat(second.analysis().filler().line()).as("counted on replay as on the first run").isEqualTo(line);

            List<Path> entries;
            try (Stream<Path> files = Files.list(dir.resolve(".sonde-cache"))) {
                entries = files.filter(p -> p.toString().endsWith(".json")).toList();
            }
            assertThat(entries).hasSize(3);
            for (Path entry : entries) { // as written before the mark was stored
                String text = Files.readString(entry);
                assertThat(text).contains("\"emulator_filler\":true");
                Files.writeString(entry, text.replace("\"emulator_filler\":true,", ""));
            }
            SuiteSession.Evaluated third = run(suite, emu, "third");

            assertThat(emu.requestCount()).as("all three runs but the first replayed").isEqualTo(3);
            assertThat(journal("third")).allSatisfy(t -> assertThat(t.has("emulator_filler")).isFalse());
            assertThat(third.analysis().filler().any()).isFalse();
        }
    }
}
