package dev.sonde.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.analysis.TrialFold;
import dev.sonde.api.SecretMask;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The history fold: each trial of the pass becomes its {@link HistoryRow.Trial}, its
 * {@link HistoryRow.Check}s and its {@link HistoryRow.Output}, handed to the sink. One trial id gives
 * one trial, by the rule a merge and {@code --resume} apply to a journal: its first result counts (a
 * later result of the same id is set aside, as {@code Journal.repair} does); a {@code skipped} line
 * gives way to any later line of its id (a resumed run appends the result after it). So a result is
 * handed on at once, and a skipped trial only at {@link #finish()}, when no later line can replace it:
 * the fold holds the ids seen and the small skipped lines still open. Every text passes the mask (ids,
 * case, model, outputs, tool calls, check types and reasons, stop reasons, error classes, skip and
 * untimed reasons). A sink's {@link IOException} leaves as an {@link UncheckedIOException}. Not
 * thread-safe.
 */
final class TrialRows implements TrialFold {
    private final SecretMask mask;
    private final RunSpool.RowSink sink;
    private final MessageDigest sha256;
    private final Set<String> answered = new HashSet<>();
    private final Map<String, TrialResult> skipped = new LinkedHashMap<>();
    private long trials;

    TrialRows(SecretMask mask, RunSpool.RowSink sink) {
        this.mask = mask;
        this.sink = sink;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void add(TrialResult t) {
        if (answered.contains(t.trialId())) {
            return;
        }
        if (t.skipped() != null) {
            skipped.put(t.trialId(), t);
            return;
        }
        answered.add(t.trialId());
        skipped.remove(t.trialId());
        emit(t);
    }

    /** Hands on the skipped trials no later line replaced; call once, after the last {@link #add}. */
    void finish() {
        for (TrialResult t : skipped.values()) {
            emit(t);
        }
        skipped.clear();
    }

    /** The trials handed on so far. */
    long trials() {
        return trials;
    }

    private void emit(TrialResult t) {
        trials++;
        try {
            String output = t.outputText() == null ? null : mask.mask(t.outputText());
            TimingsMillis timings = t.timings();
            JsonNode usage = t.usage();
            String trialId = masked(t.trialId());
            sink.accept(new HistoryRow.Trial(trialId, masked(t.caseId()), masked(t.model()), masked(t.modelId()),
                    t.repeat(), t.pass(), t.error() == null ? null : masked(t.error().errorClass()),
                    masked(t.skipped()), t.replayed(), masked(t.untimed()),
                    Boolean.TRUE.equals(t.warmup()), masked(t.variant()), timings == null ? null : timings.ttftMs(),
                    timings == null ? null : timings.ttfbMs(), timings == null ? null : timings.e2eMs(), t.costUsd(),
                    t.unpriced(), tokens(usage, "input_tokens"), tokens(usage, "output_tokens"),
                    tokens(usage, "cache_read_input_tokens"), tokens(usage, "cache_creation_input_tokens"),
                    t.attempts(), t.startedAt(), masked(t.stopReason()), output == null ? null : sha256(output)));
            List<CheckResult> checks = t.checks() == null ? List.of() : t.checks();
            for (int i = 0; i < checks.size(); i++) {
                CheckResult c = checks.get(i);
                sink.accept(new HistoryRow.Check(trialId, i, masked(c.type()), c.pass(),
                        masked(c.reason())));
            }
            String toolCalls = t.toolCalls() == null || t.toolCalls().isEmpty() ? null
                    : mask.mask(Journal.JSON.writeValueAsString(t.toolCalls()));
            if (output != null || toolCalls != null) {
                sink.accept(new HistoryRow.Output(trialId, output, toolCalls));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String masked(String text) {
        return text == null ? null : mask.mask(text);
    }

    private static Long tokens(JsonNode usage, String field) {
        if (usage == null) {
            return null;
        }
        JsonNode v = usage.path(field);
        return v.isNumber() ? v.asLong() : null;
    }

    private String sha256(String text) {
        return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
