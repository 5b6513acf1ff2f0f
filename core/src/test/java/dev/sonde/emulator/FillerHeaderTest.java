package dev.sonde.emulator;

import static dev.sonde.emulator.Http.AUTH;
import static dev.sonde.emulator.Http.body;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer no rule matched says so in a response header, on the Messages API and on chat
 * completions, streamed or not; an answer a rule chose (text, or only a fault) does not.
 */
class FillerHeaderTest {
    private static final String[] BEARER = {"authorization", "Bearer sk-test"};
    @TempDir
    static Path dir;
    static Emulator emu;

    @BeforeAll
    static void start() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - {match: {contains: "capital of France"}, reply: {text: "Paris."}}
                  - {match: {contains: "slowly"}, reply: {fault: {stall_after_deltas: 1, stall_ms: 1}}}
                """);
        emu = Emulator.start(EmulatorConfig.builder().seed(7).rules(List.of(rules))
                .latency(List.of(LatencyProfile.instant("*"))).build());
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    private static String filler(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue(MessagesEndpoint.FILLER_HEADER).orElse(null);
    }

    @Test
    void messages_answers_no_rule_matched_carry_the_header_streamed_or_not() {
        String unmatched = body("claude-sonnet-4-6", 100, "Tell me a story", "");
        assertThat(filler(post(emu.baseUri(), "/v1/messages", unmatched, AUTH))).isEqualTo("true");
        assertThat(filler(post(emu.baseUri(), "/v1/messages", unmatched.replace("{\"model\"", "{\"stream\":true,\"model\""),
                AUTH))).isEqualTo("true");
        String matched = body("claude-sonnet-4-6", 100, "What is the capital of France?", "");
        assertThat(filler(post(emu.baseUri(), "/v1/messages", matched, AUTH))).isNull();
        assertThat(filler(post(emu.baseUri(), "/v1/messages", matched.replace("{\"model\"", "{\"stream\":true,\"model\""),
                AUTH))).isNull();
    }

    @Test
    void a_rule_that_only_sets_a_fault_matched_so_its_answer_is_not_marked() {
        String faulted = body("claude-sonnet-4-6", 100, "Answer slowly", ",\"stream\":true");
        assertThat(filler(post(emu.baseUri(), "/v1/messages", faulted, AUTH))).isNull();
    }

    @Test
    void chat_completions_answers_carry_it_too() {
        String unmatched = "{\"model\":\"claude-sonnet-4-6\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";
        assertThat(filler(post(emu.baseUri(), "/v1/chat/completions", unmatched, BEARER))).isEqualTo("true");
        assertThat(filler(post(emu.baseUri(), "/v1/chat/completions",
                unmatched.replace("{\"model\"", "{\"stream\":true,\"model\""), BEARER))).isEqualTo("true");
        String matched = unmatched.replace("Tell me a story", "What is the capital of France?");
        assertThat(filler(post(emu.baseUri(), "/v1/chat/completions", matched, BEARER))).isNull();
    }
}
