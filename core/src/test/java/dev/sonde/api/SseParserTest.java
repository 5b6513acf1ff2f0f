package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    record Ev(String name, String data, long at) {}

    private final List<Ev> events = new ArrayList<>();
    private final SseParser parser = new SseParser((n, d, at) -> events.add(new Ev(n, d, at)));

    private void feed(String s, long at) {
        parser.feed(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), at);
    }

    @Test
    void dispatches_named_events_with_the_arrival_time_of_the_completing_chunk() {
        feed("event: message_start\ndata: {\"a\":1}\n", 10);
        assertThat(events).isEmpty();
        feed("\nevent: ping\ndata: {}\n\n", 25);
        assertThat(events).containsExactly(new Ev("message_start", "{\"a\":1}", 25), new Ev("ping", "{}", 25));
    }

    @Test
    void handles_crlf_split_across_chunks_and_bare_cr() {
        feed("event: a\r", 1);
        feed("\ndata: x\r\n\r", 2);
        feed("\nevent: b\rdata: y\r\r", 3);
        assertThat(events).containsExactly(new Ev("a", "x", 2), new Ev("b", "y", 3));
    }

    @Test
    void joins_multiple_data_lines_ignores_comments_ids_and_keeps_multibyte_text_split_mid_character() {
        byte[] bytes = "data: h\u00e9\ndata:l\u20aclo\n: comment\nid: 7\nretry: 10\n\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            parser.feed(ByteBuffer.wrap(bytes, i, 1), i);
        }
        assertThat(events).containsExactly(new Ev(null, "h\u00e9\nl\u20aclo", bytes.length - 1));
    }

    @Test
    void an_event_without_data_is_not_dispatched_and_unfinished_bytes_are_reported() {
        feed("event: lonely\n\n", 1);
        assertThat(events).isEmpty();
        feed("event: x\ndata: {\"partial\"", 2);
        assertThat(parser.midEvent()).isTrue();
    }
}
