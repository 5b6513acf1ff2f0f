package dev.sonde.session;

import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.api.SecretMask;
import dev.sonde.emulator.Recording;
import dev.sonde.journal.AtomicFile;
import dev.sonde.run.RepeatAware;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>{@link #write} puts every entry, in the order the answers arrived, in one file, written
 * atomically and passed whole through the run's {@link SecretMask} first. Thread-safe.
 */
final class Recorder {
    private final SecretMask mask;
    private final List<Recording.Entry> entries = new ArrayList<>();
    private int unreplayable;

    Recorder(SecretMask mask) {
        this.mask = mask;
    }

    /** {@code live}, recording what it answers; {@code label} is the model's {@code models[].id}. */
    Provider recording(String label, Provider live) {
        return new Recorded(label, live);
    }

    /** How many answers are recorded so far. */
    synchronized int size() {
        return entries.size();
    }

    /**
     * Writes every recorded answer to {@code file} (its folder made if need be), atomically, masked.
     *
     * @return a line saying what was written, for the console
     */
    String write(Path file, String suiteName) throws IOException {
        List<Recording.Entry> copy;
        int skipped;
        synchronized (this) {
            copy = List.copyOf(entries);
            skipped = unreplayable;
        }
        String yaml = Recording.yaml(copy, "Recorded by `sonde run " + suiteName + " --record`: " + copy.size()
                + " answers as emulator rules.\nList this file in the suite's emulator.rules to replay them offline; "
                + "format: fixtures/emulator/README.md.");
        String masked = mask.mask(yaml);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFile.write(file, out -> out.write(masked));
        return "recorded " + copy.size() + " answers to " + file
                + (skipped == 0 ? "" : " (" + skipped + " not recorded: they held content blocks the emulator cannot "
                + "replay; only text, tool_use and thinking are)");
    }

    private synchronized void add(String label, int repeat, MessageRequest request, Exchange ex) {
        boolean replayable = ex.stopReason() != null
                && ex.content().stream().allMatch(b -> Recording.replayable(b.type()));
        if (!replayable) {
            unreplayable++;
            return;
        }
        String name = label + (repeat >= 0 ? ", repeat " + repeat : ", no repeat (a grader's or another call)")
                + ", answer " + (entries.size() + 1);
        entries.add(new Recording.Entry(name, Recording.requestSha256(request.body()), repeat, ex.model(),
                ContentBlock.toJson(ex.content()), ex.stopReason(), ex.stopSequence(), ex.usage().raw(), ex.timings()));
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
