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
import dev.sonde.metrics.Yaml;
import dev.sonde.run.RepeatAware;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What {@code sonde run --record FILE} keeps: every successful answer a live model's provider got
 * — each repeat, each tool-loop turn, each grader call — as one recorded emulator rule
 * ({@link Recording}), keyed by the request body it answered and, for a trial's request and its
 * grading, the trial's {@code models[].id} and repeat (which the runner hands a {@link RepeatAware}
 * provider as headers; they are taken off here, so they never reach the real endpoint). The answer is recorded from the exchange the harness already
 * parsed and timed: its content (already masked by the provider), stop reason, usage and timings.
 * Failed exchanges are not recorded (a retried request is recorded once, from its answer): a request
 * whose last attempt failed is counted, and said when the file is written, since its trial gets
 * filler on replay. Nor are answers holding blocks the emulator cannot replay, answers the rules
 * loader would refuse (each entry is checked by the loader's own rules before it is written, so the
 * file always loads), or any answer once the file would pass the YAML reader's limit
 * ({@link dev.sonde.metrics.Yaml#MAX_DOCUMENT_CHARS} bytes): each is counted and said at the end.
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
    private final long maxBytes;
    private int recorded;
    private int unreplayable;
    private int refused;
    private String firstRefusal;
    private int overLimit;
    /** Requests whose last attempt so far failed, by what would key their answer; a later answer clears one. */
    private final Set<String> failedRequests = new HashSet<>();

    /** @param header what made the file, its first comment lines */
    Recorder(Path file, String header, SecretMask mask) {
        this(file, header, mask, Yaml.MAX_DOCUMENT_CHARS);
    }

    /** As {@link #Recorder(Path, String, SecretMask)}, the file kept to {@code maxBytes}. */
    Recorder(Path file, String header, SecretMask mask, long maxBytes) {
        this.file = file;
        this.header = header;
        this.mask = mask;
        this.maxBytes = maxBytes;
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
        if (failed == null && writer != null && recorded == 0) { // only refused answers: nothing to put in place
            pending.abort();
            writer = null;
        }
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
        List<String> skipped = new ArrayList<>();
        if (unreplayable > 0) {
            skipped.add(unreplayable + " not recorded: they held content blocks the emulator cannot replay; only "
                    + "text, tool_use and thinking are");
        }
        if (refused > 0) {
            skipped.add(refused + " not recorded: the rules loader would refuse them (the first: " + firstRefusal + ")");
        }
        if (overLimit > 0) {
            skipped.add("recording stopped before the file passed the rules reader's limit of " + maxBytes
                    + " bytes: " + overLimit + " later answers not recorded");
        }
        int failedCount = failedRequests.size();
        if (failedCount > 0) {
            skipped.add(failedCount + " requests failed and were not recorded (their trials will get filler on replay)");
        }
        String notes = skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")";
        return writer == null ? "no answer was recorded; " + file + " is left as it was" + notes
                : "recorded " + recorded + " answers to " + file + notes;
    }

    /**
     * @param label the model whose provider got the answer ({@code models[].id}), for the rule's name
     * @param modelId the model the request was for, as the runner said it ({@code match.model_id}); null if unsaid
     */
    private synchronized void add(String label, String modelId, int repeat, MessageRequest request, Exchange ex) {
        String sha = Recording.requestSha256(request.body());
        String failureKey = modelId + "#" + repeat + "#" + sha;
        if (!ex.ok()) {
            failedRequests.add(failureKey); // one per request, however often retried
            return;
        }
        failedRequests.remove(failureKey);
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
                writer = new Recording.Writer(pending.writer(), header, maxBytes);
            }
            switch (writer.add(new Recording.Entry(name, sha, repeat, modelId, ex.model(), ContentBlock.toJson(ex.content()),
                    ex.stopReason(), ex.stopSequence(), ex.usage().raw(), ex.timings()), mask::mask)) {
                case Recording.Writer.Added.Written w -> recorded++;
                case Recording.Writer.Added.Refused no -> {
                    refused++;
                    firstRefusal = firstRefusal != null ? firstRefusal : mask.mask(no.why());
                }
                case Recording.Writer.Added.Full full -> overLimit++;
            }
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
            add(label, request.headers().get(Recording.MODEL_HEADER), repeat == null ? -1 : Integer.parseInt(repeat),
                    request, ex);
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

    /** {@code request} without the repeat and model headers, which are for the emulator only. */
    private static MessageRequest withoutRepeat(MessageRequest request) {
        if (!request.headers().containsKey(Recording.REPEAT_HEADER)
                && !request.headers().containsKey(Recording.MODEL_HEADER)) {
            return request;
        }
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.remove(Recording.REPEAT_HEADER);
        headers.remove(Recording.MODEL_HEADER);
        return new MessageRequest(request.body(), headers, request.timeouts());
    }
}
