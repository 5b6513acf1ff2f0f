package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ApiFailure;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.api.SecretMask;
import dev.sonde.api.Timeouts;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.Recording;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the recorder keeps and says it left out; the excerpt a rule's name carries, so a reader can tell the case. */
class RecorderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private static Exchange answer(List<ContentBlock> content, Map<String, Object> usage) {
        return new Exchange(200, "req", "m", content, "end_turn", null, Usage.fromJson(JSON.valueToTree(usage)),
                new Timings(1_000_000, 2_000_000, 2_000_000, 5_000_000, new long[0], 1), null);
    }

    private static Exchange failure() {
        return new Exchange(529, "req", "m", List.of(), null, null, Usage.NONE, Timings.NONE,
                new ApiFailure(ErrorClass.OVERLOADED, 529, "overloaded_error", "busy"), null);
    }

    /** A provider answering from a script, one exchange a call. */
    private static Provider scripted(Exchange... answers) {
        Iterator<Exchange> next = List.of(answers).iterator();
        return new Provider() {
            @Override
            public Exchange send(MessageRequest request) {
                return next.next();
            }

            @Override
            public Exchange countTokens(MessageRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String endpoint() {
                return "http://127.0.0.1:9";
            }

            @Override
            public void close() {}
        };
    }

    private static MessageRequest ask(String text, int repeat) throws Exception {
        return new MessageRequest(body("{\"model\": \"m\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"" + text + "\"}]}"), Map.of(Recording.REPEAT_HEADER, Integer.toString(repeat),
                        Recording.MODEL_HEADER, "s"), Timeouts.total(java.time.Duration.ofSeconds(5)));
    }

    @Test
    void a_failed_request_an_unloadable_answer_and_answers_past_the_limit_are_counted_and_the_file_loads()
            throws Exception {
        Map<String, Object> usage = Map.of("input_tokens", 3, "output_tokens", 2);
        Path file = dir.resolve("recorded.yaml");
        Recorder recorder = new Recorder(file, "test", SecretMask.NONE, 1_200);
        Provider live = recorder.recording("s", scripted(failure(), answer(List.of(new ContentBlock.Text("Paris")), usage),
                failure(), failure(), answer(List.of(new ContentBlock.Text("Rome")), Map.of("input_tokens", 1.5,
                        "output_tokens", 2)), answer(List.of(new ContentBlock.Text("Oslo")), usage),
                answer(List.of(new ContentBlock.Text("Bern")), usage), answer(List.of(new ContentBlock.Text("Riga")), usage),
                answer(List.of(new ContentBlock.Text("Kyiv")), usage)));
        live.send(ask("first", 0)); // failed, then retried and answered: not a failed request
        live.send(ask("first", 0));
        live.send(ask("second", 0)); // failed twice: one failed request
        live.send(ask("second", 0));
        live.send(ask("third", 0)); // a float in usage: the loader would refuse it
        for (int i = 0; i < 4; i++) {
            live.send(ask("more " + i, 0));
        }
        String said = recorder.finish();
        int recorded = recorder.size();
        assertThat(recorded).isBetween(1, 4);
        assertThat(said).startsWith("recorded " + recorded + " answers to " + file)
                .contains("1 not recorded: the rules loader would refuse them (the first: "
                        + "rule.reply.recorded.usage.input_tokens: must be a whole number")
                .contains("recording stopped before the file passed the rules reader's limit of 1200 bytes: "
                        + (5 - recorded) + " later answers not recorded")
                .contains("1 requests failed and were not recorded (their trials will get filler on replay)");
        assertThat(Files.size(file)).isLessThanOrEqualTo(1_200);
        try (Emulator emu = Emulator.start(EmulatorConfig.builder().rules(List.of(file)).build())) {
            assertThat(emu.baseUri()).as("a valid rules file").isNotNull();
        }
        assertThat(Files.readString(file)).contains("model_id: \"s\"");
    }

    private static ObjectNode body(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void names_the_last_user_text_on_one_short_line() throws Exception {
        assertThat(Recorder.said(body("""
                {"messages": [{"role": "user", "content": "Which planet\\n  is red?"},
                              {"role": "assistant", "content": "Mars"},
                              {"role": "user", "content": [{"type": "text", "text": "  And the largest?  "}]}]}
                """), t -> t)).isEqualTo("\u201cAnd the largest?\u201d");
        String long60 = "x".repeat(80);
        assertThat(Recorder.said(body("{\"messages\": [{\"role\": \"user\", \"content\": \"" + long60 + "\"}]}"), t -> t))
                .isEqualTo("\u201c" + "x".repeat(59) + "\u2026\u201d");
    }

    @Test
    void masks_the_whole_text_before_cutting_it_so_a_key_across_the_cut_is_masked_whole() throws Exception {
        String key = "sk-ant-api03-" + "k".repeat(40);
        String prompt = "Please repeat this token back to me exactly: " + key;
        String said = Recorder.said(body("{\"messages\": [{\"role\": \"user\", \"content\": \"" + prompt + "\"}]}"),
                t -> t.replace(key, "[masked]"));
        assertThat(said).isEqualTo("\u201cPlease repeat this token back to me exactly: [masked]\u201d")
                .doesNotContain("sk-ant");
    }

    @Test
    void a_tool_loop_turn_and_a_body_without_text_say_so() throws Exception {
        assertThat(Recorder.said(body("""
                {"messages": [{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "20C"}]}]}
                """), t -> t)).isEqualTo("tool results");
        assertThat(Recorder.said(body("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\"}]}]}"), t -> t))
                .isEqualTo("(no text)");
        assertThat(Recorder.said(body("{\"messages\": []}"), t -> t)).isEqualTo("(no user message)");
    }
}
