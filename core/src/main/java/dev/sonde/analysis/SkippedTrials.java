package dev.sonde.analysis;

import dev.sonde.journal.TrialResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trials a run journaled as skipped (never sent: budget spent, key rejected, a signal), counted
 * by the reason journaled with them, for the reports' headers: {@link #line()} reads
 * {@code 26 skipped (not sent): <reason>}. Memory is bounded whatever the journal holds: at most
 * {@value #MAX_REASONS} reasons are kept, each cut to {@value #MAX_REASON_CHARS} characters on one
 * line; trials with any further reason are counted under "other reasons". Not thread-safe; filled
 * by one pass over the journal.
 */
public final class SkippedTrials implements TrialFold {
    static final int MAX_REASONS = 5;
    static final int MAX_REASON_CHARS = 200;

    private final Map<String, Long> byReason = new LinkedHashMap<>();
    private long otherReasons;
    private long count;

    SkippedTrials() {}

    @Override
    public void add(TrialResult t) {
        if (t.skipped() == null) {
            return;
        }
        count++;
        String reason = oneLine(t.skipped());
        if (byReason.containsKey(reason) || byReason.size() < MAX_REASONS) {
            byReason.merge(reason, 1L, Long::sum);
        } else {
            otherReasons++;
        }
    }

    /** Trials never sent. */
    public long count() {
        return count;
    }

    /**
     * {@code 26 skipped (not sent): budget: max_trials 2 reached}; with several reasons each is
     * followed by its count ({@code …: interrupted (SIGINT) × 20; budget: … × 6}); empty when none
     * was skipped. Plain text: the caller escapes it for its format.
     */
    public String line() {
        if (count == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder().append(count).append(" skipped (not sent): ");
        if (byReason.size() == 1 && otherReasons == 0) {
            return sb.append(byReason.keySet().iterator().next()).toString();
        }
        String sep = "";
        for (Map.Entry<String, Long> e : byReason.entrySet()) {
            sb.append(sep).append(e.getKey()).append(" × ").append(e.getValue());
            sep = "; ";
        }
        if (otherReasons > 0) {
            sb.append(sep).append("other reasons × ").append(otherReasons);
        }
        return sb.toString();
    }

    private static String oneLine(String reason) {
        String s = reason.replaceAll("\\s+", " ").strip();
        return s.length() > MAX_REASON_CHARS ? s.substring(0, MAX_REASON_CHARS - 1) + "…" : s;
    }
}
