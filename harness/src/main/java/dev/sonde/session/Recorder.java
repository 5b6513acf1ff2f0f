package dev.sonde.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.api.SecretMask;
import dev.sonde.emulator.Recording;
import dev.sonde.journal.AtomicFile;
import dev.sonde.run.RepeatAware;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What {@code sonde run --record FILE} keeps: every successful answer a live model's provider got
 * — each repeat, each tool-loop turn, each grader call — as one recorded emulator rule
 * ({@link Recording}), keyed by the request body it answered and, for a trial's request, its repeat
 * (which the runner hands a {@link RepeatAware} provider as a header; it is taken off here, so it
 * never reaches the real endpoint). The answer is recorded from the exchange the harness already
 * parsed and timed: its content (already masked by the provider), stop reason, usage and timings.
 * Failed exchanges are not recorded (a retried request is recorded once, from its answer), nor are
 * answers holding blocks the emulator cannot replay (counted, and said when the file is written).
 *
 * <p>Each entry is written as it arrives, passed through the run's {@link SecretMask}, to a
 * temporary file beside {@code FILE} (so a recording holds no answer in memory, however long the
 * run); {@link #finish} puts it in place atomically. Until the first answer nothing is opened, so a
 * run that records nothing leaves an earlier {@code FILE} as it was. Thread-safe.
 */
final class Recorder {
    private final Path file;
    private final String header;
    private final SecretMask mask;
    private AtomicFile.Pending pending;
    private Recording.Writer writer;
    private IOException failed;
    private int recorded;
    private int unreplayable;

    /** @param header what made the file, its first comment lines */
    Recorder(Path file, String header, SecretMask mask) {
        this.file = file;
        this.header = header;
        this.mask = mask;
    }

    /** {@code live}, recording what it answers; {@code label} is the model's {@code models[].id}. */
    Provider recording(String label, Provider live) {
        return new Recorded(label, live);
    }

    /** How many answers are recorded so far. */
    synchronized int size() {
        return recorded;
    }

    /**
     * Ends the file and puts it in place (when an answer was recorded; otherwise nothing is written).
     *
     * @return a line saying what was written, for the console
     * @throws IOException the file could not be written (at any point of the run); {@code FILE} is as it was
     */
    synchronized String finish() throws IOException {
        if (failed == null && writer != null) {
            try {
                writer.finish();
                pending.commit();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            if (pending != null) {
                pending.abort();
            }
            throw failed;
        }
        String skipped = unreplayable == 0 ? "" : " (" + unreplayable + " not recorded: they held content blocks the "
                + "emulator cannot replay; only text, tool_use and thinking are)";
        return writer == null ? "no answer was recorded; " + file + " is left as it was" + skipped
                : "recorded " + recorded + " answers to " + file + skipped;
    }

    private synchronized void add(String label, int repeat, MessageRequest request, Exchange ex) {
        boolean replayable = ex.stopReason() != null
                && ex.content().stream().allMatch(b -> Recording.replayable(b.type()));
        if (!replayable) {
            unreplayable++;
            return;
        }
        if (failed != null) {
            return;
        }
        String name = label + (repeat >= 0 ? ", repeat " + repeat : ", no repeat (a grader's or another call)")
                + ", answer " + (recorded + 1) + ": " + said(request.body(), mask::mask);
        try {
            if (writer == null) {
                pending = AtomicFile.open(file);
                writer = new Recording.Writer(pending.writer(), header);
            }
            writer.add(new Recording.Entry(name, Recording.requestSha256(request.body()), repeat, ex.model(),
                    ContentBlock.toJson(ex.content()), ex.stopReason(), ex.stopSequence(), ex.usage().raw(),
                    ex.timings()), mask::mask);
            recorded++;
        } catch (IOException e) {
            failed = e; // said when the run ends: the run goes on
        }
    }

    /**
     * What the request's last user message says, cut to one short line, so a reader of the file
     * can tell which case a rule answers ("tool results" for a tool loop's later turn). The whole
     * text is masked before it is cut: a key cut in two is no longer a key the mask knows.
     */
    static String said(ObjectNode body, UnaryOperator<String> mask) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            JsonNode content = message.path("content");
            String text = content.isTextual() ? content.asText() : null;
            for (JsonNode block : content.isArray() ? content : List.<JsonNode>of()) {
                if ("text".equals(block.path("type").asText())) {
                    text = block.path("text").asText();
                } else if (text == null && "tool_result".equals(block.path("type").asText())) {
                    return "tool results";
                }
            }
            if (text == null) {
                return "(no text)";
            }
            String line = mask.apply(text).strip().replaceAll("\\s+", " ");
            return "\u201c" + (line.length() <= 60 ? line : line.substring(0, 59).stripTrailing() + "\u2026") + "\u201d";
        }
        return "(no user message)";
    }

    /** A live model's provider, recording its answers. */
    private final class Recorded implements RepeatAware {
        private final String label;
        private final Provider live;

        Recorded(String label, Provider live) {
            this.label = label;
            this.live = live;
        }

        @Override
        public Exchange send(MessageRequest request) throws InterruptedException {
            String repeat = request.headers().get(Recording.REPEAT_HEADER);
            Exchange ex = live.send(withoutRepeat(request));
            if (ex.ok()) {
                add(label, repeat == null ? -1 : Integer.parseInt(repeat), request, ex);
            }
            return ex;
        }

        @Override
        public Exchange countTokens(MessageRequest request) throws InterruptedException {
            return live.countTokens(withoutRepeat(request));
        }

        @Override
        public String endpoint() {
            return live.endpoint();
        }

        @Override
        public void close() {
            live.close();
        }
    }

    /** {@code request} without the repeat header, which is for the emulator only. */
    private static MessageRequest withoutRepeat(MessageRequest request) {
        if (!request.headers().containsKey(Recording.REPEAT_HEADER)) {
            return request;
        }
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.remove(Recording.REPEAT_HEADER);
        return new MessageRequest(request.body(), headers, request.timeouts());
    }
}
