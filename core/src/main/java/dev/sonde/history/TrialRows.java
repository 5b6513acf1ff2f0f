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
import java.util.HexFormat;
import java.util.List;

/**
 * The history fold: each trial of the pass becomes its {@link HistoryRow.Trial}, its
 * {@link HistoryRow.Check}s and its {@link HistoryRow.Output}, handed to the sink at once (nothing
 * is held). Outputs, tool calls, check reasons, stop reasons and error classes pass the mask. A sink's {@link IOException} leaves as an {@link UncheckedIOException}. Not thread-safe.
 */
final class TrialRows implements TrialFold {
    private final SecretMask mask;
    private final RunSpool.RowSink sink;
    private final MessageDigest sha256;

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
        try {
            String output = t.outputText() == null ? null : mask.mask(t.outputText());
            TimingsMillis timings = t.timings();
            JsonNode usage = t.usage();
            sink.accept(new HistoryRow.Trial(t.trialId(), t.caseId(), t.model(), t.modelId(), t.repeat(), t.pass(),
                    t.error() == null ? null : masked(t.error().errorClass()), t.skipped(), t.replayed(), t.untimed(),
                    Boolean.TRUE.equals(t.warmup()), t.variant(), timings == null ? null : timings.ttftMs(),
                    timings == null ? null : timings.ttfbMs(), timings == null ? null : timings.e2eMs(), t.costUsd(),
                    t.unpriced(), tokens(usage, "input_tokens"), tokens(usage, "output_tokens"),
                    tokens(usage, "cache_read_input_tokens"), tokens(usage, "cache_creation_input_tokens"),
                    t.attempts(), t.startedAt(), masked(t.stopReason()), output == null ? null : sha256(output)));
            List<CheckResult> checks = t.checks() == null ? List.of() : t.checks();
            for (int i = 0; i < checks.size(); i++) {
                CheckResult c = checks.get(i);
                sink.accept(new HistoryRow.Check(t.trialId(), i, c.type(), c.pass(),
                        masked(c.reason())));
            }
            String toolCalls = t.toolCalls() == null || t.toolCalls().isEmpty() ? null
                    : mask.mask(Journal.JSON.writeValueAsString(t.toolCalls()));
            if (output != null || toolCalls != null) {
                sink.accept(new HistoryRow.Output(t.trialId(), output, toolCalls));
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
