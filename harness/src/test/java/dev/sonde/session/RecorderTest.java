package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The excerpt a recorded rule's name carries, so a reader of the file can tell which case it answers. */
class RecorderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
