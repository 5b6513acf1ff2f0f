package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.EmulatorCredentials;
import dev.sonde.emulator.LatencyProfile;
import dev.sonde.metrics.Clock;
import dev.sonde.run.TrialListener;
import dev.sonde.session.SuiteSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: record and replay on each recordable platform route — Bedrock's Messages route, Claude
 * Platform on AWS, Foundry. A second emulator acts as the live platform ({@code --endpoint
 * http://127.0.0.1:P}, the platform's own path, signed or keyed with the emulator's test
 * credentials from the injected environment); the suite records its answers there, then replays
 * offline through the embedded emulator's route for the same platform: the same answers, usage and
 * verdicts per trial, none of them filler, and nothing sent to the live server. On Bedrock the
 * emulator reads the platform's model id as the Anthropic one before answering, so the recorded
 * key must be the body the client sent, not the body after that rewrite.
 */
class PlatformRecordReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> AWS_ENV = Map.of("AWS_ACCESS_KEY_ID", EmulatorCredentials.AWS_ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY", EmulatorCredentials.AWS_SECRET_ACCESS_KEY);

    @TempDir
    Path dir;

    @Test
    void bedrock_messages_answers_recorded_live_replay_offline() throws Exception {
        recordThenReplay("""
                  - id: br
                    provider: bedrock
                    model: us.anthropic.claude-sonnet-4-5-20250929-v1:0
                    region: us-east-1
                    api: messages
                    params: {max_tokens: 60}
                """, AWS_ENV);
    }

    @Test
    void claude_platform_on_aws_answers_recorded_live_replay_offline() throws Exception {
        recordThenReplay("""
                  - id: cpa
                    provider: claude-platform-aws
                    model: claude-sonnet-4-5
                    region: us-east-1
                    workspace_id: wrkspc_01SondeTest
                    params: {max_tokens: 60}
                """, AWS_ENV);
    }

    @Test
    void foundry_answers_recorded_live_replay_offline() throws Exception {
        recordThenReplay("""
                  - id: fd
                    provider: foundry
                    model: my-sonnet-deployment
                    resource: my-foundry
                    base_model: claude-sonnet-4-5
                    params: {max_tokens: 60}
                """, Map.of("ANTHROPIC_FOUNDRY_API_KEY", EmulatorCredentials.FOUNDRY_API_KEY));
    }

    private void recordThenReplay(String model, Map<String, String> env) throws Exception {
        Path liveRules = Files.writeString(dir.resolve("live.yaml"), """
                rules:
                  # the repeats of one trial get different answers live: each must replay its own
                  - {match: {contains: "harbours"}, max_matches: 1, reply: {text: "Harbours, the first answer."}}
                  - {match: {contains: "harbours"}, reply: {text: "Harbours, a later answer."}}
                  - {match: {contains: "capital of France"}, reply: {text: "The capital of France is Paris."}}
                """);
        Files.writeString(dir.resolve("recorded.yaml"), "rules: []\n"); // the suite names it before it is recorded
        Path suite = Files.writeString(dir.resolve("suite.yaml"), """
                name: platform-recorded
                emulator: {rules: [recorded.yaml]}
                run: {repeat: 2, concurrency: 2}
                models:
                %s
                cases:
                  - id: harbours
                    prompt: "Tell me about harbours"
                    assert: [{type: contains, value: Harbours}]
                  - id: capital
                    prompt: "What is the capital of France?"
                    assert: [{type: contains, value: Paris}]
                """.formatted(model.stripTrailing()));
        EmulatorConfig live = EmulatorConfig.builder().seed(31).rules(List.of(liveRules))
                .latency(List.of(new LatencyProfile("*", 30, 0, 2000, 0))).build();
        try (Emulator server = Emulator.start(live)) {
            run(suite, server.baseUri().toString(), "rec", env, dir.resolve("recorded.yaml"));
            long liveRequests = server.requestCount();
            assertThat(liveRequests).isEqualTo(4);
            run(suite, null, "rep", Map.of(), null);
            assertThat(server.requestCount()).as("the replay sent nothing to the live server").isEqualTo(liveRequests);
        }
        String file = Files.readString(dir.resolve("recorded.yaml"));
        assertThat(file.split("\n- name: ", -1).length - 1).as(file).isEqualTo(4);

        Map<String, JsonNode> recorded = journal("rec");
        Map<String, JsonNode> replayed = journal("rep");
        assertThat(replayed.keySet()).isEqualTo(recorded.keySet()).hasSize(4);
        assertThat(recorded.values().stream().filter(t -> t.get("case").asText().equals("harbours"))
                .map(t -> t.get("output_text").asText()).distinct().count()).as("answers differed live").isEqualTo(2);
        for (String id : recorded.keySet()) {
            JsonNode was = recorded.get(id);
            JsonNode now = replayed.get(id);
            assertThat(now.path("emulator_filler").asBoolean(false)).as(id + " is filler on replay: " + now).isFalse();
            for (String field : List.of("pass", "output_text", "stop_reason", "usage", "error")) {
                assertThat(now.get(field)).as(id + " " + field).isEqualTo(was.get(field));
            }
            assertThat(was.get("pass").asBoolean()).as(id + " " + was).isTrue();
        }
    }

    private void run(Path suite, String endpoint, String out, Map<String, String> env, Path record) throws Exception {
        SuiteSession.run(new SuiteSession.Options(suite, endpoint, dir.resolve(out), null, null, dir, env,
                TrialListener.NONE, Clock.system(), null, false, null, false, false, List.of(), List.of(), null, record));
    }

    private Map<String, JsonNode> journal(String out) throws Exception {
        Map<String, JsonNode> trials = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve(out).resolve("trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            trials.put(t.get("trial_id").asText(), t);
        }
        return trials;
    }
}
