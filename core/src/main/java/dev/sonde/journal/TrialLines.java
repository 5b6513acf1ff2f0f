package dev.sonde.journal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * What a line of {@code trials.jsonl} must be to be a trial record, the one rule {@link Journal#read}
 * and {@link Journal#repair} apply: one JSON object and nothing after it, that reads as a {@link
 * TrialResult} with {@code trial_id}, {@code case}, {@code model} and {@code model_id}. Why a line
 * fails is said in the record's own field names, never by quoting the line. Thread-safe.
 */
final class TrialLines {
    /** Journal lines read as records: one JSON value per line, nothing after it. */
    private static final ObjectReader RECORD = Journal.JSON.readerFor(TrialResult.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The rule for {@link JsonlRepair}: a record is intact under its trial id (so a second result
     * for one trial is set aside), a {@code skipped} line under none (a skipped trial's result
     * follows it after {@code --resume}).
     */
    static final JsonlRepair.Rule RULE = (line, length) -> {
        try {
            TrialResult t = record(line, length);
            return new JsonlRepair.Intact(t.skipped() == null ? t.trialId() : null);
        } catch (NotARecord e) {
            return new JsonlRepair.Damaged(e.getMessage());
        }
    };

    private TrialLines() {}

    /** Reads one nonblank UTF-8 line as a trial record, with every field a reader relies on. */
    static TrialResult record(byte[] line, int length) throws NotARecord {
        TrialResult t;
        try {
            t = RECORD.readValue(line, 0, length);
        } catch (IOException e) {
            throw new NotARecord(why(e, line, length));
        }
        if (t == null) {
            throw new NotARecord("not a trial record (null)");
        }
        String missing = t.trialId() == null ? "trial_id" : t.caseId() == null ? "case" : t.model() == null ? "model"
                : t.modelId() == null ? "model_id" : null;
        if (missing != null) {
            throw new NotARecord("not a trial record (no " + missing + ")");
        }
        return t;
    }

    /** Why a line did not read as a record: the JSON itself (a mapping error may wrap a parse error), or its shape. */
    private static String why(IOException e, byte[] line, int length) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StreamConstraintsException) {
                return "a value too large to read";
            }
            if (c instanceof JsonParseException p) {
                JsonLocation at = p.getLocation();
                return "not JSON" + (at == null || at.getColumnNr() < 1 ? "" : " (column " + at.getColumnNr() + ")");
            }
        }
        return e instanceof JsonMappingException m ? "not a trial record (" + what(m, line, length) + ")" : "not JSON";
    }

    /**
     * Where a line that is JSON fails to be a record, in the record's own field names (the line's
     * text is never quoted: it may hold anything).
     */
    private static String what(JsonMappingException e, byte[] line, int length) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        if (!path.isEmpty()) {
            return (path.length() > 100 ? path.substring(0, 100) + "…" : path) + " cannot be read";
        }
        int i = 0;
        while (i < length && Character.isWhitespace(line[i])) {
            i++;
        }
        if (i == length || line[i] != '{') {
            return "not a JSON object";
        }
        String m = e.getOriginalMessage();
        return m != null && m.startsWith("Trailing token") ? "more than one JSON value on the line" : "not its shape";
    }

    /** Why a line is not a trial record, in words fit for one line of a message. */
    static final class NotARecord extends Exception {
        NotARecord(String reason) {
            super(reason, null, false, false);
        }
    }
}
