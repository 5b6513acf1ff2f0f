package dev.sonde.run;

import dev.sonde.api.Exchange;
import dev.sonde.journal.TurnRecord;
import dev.sonde.metrics.Timings;
import java.util.Arrays;
import java.util.List;

/**
 * The timings of a trial made of several requests (a tool loop), from its turns' own timings
 * (METRICS.md "Per trial"), all in nanoseconds of the injected clock:
 * <ul>
 *   <li>{@code ttfb}, {@code ttft}, {@code ttft_any}: the first turn's (what the user waits for
 *       before the conversation shows a sign of life);
 *   <li>{@code e2e}: the sum of the turns' e2e, each from its request's send to its last byte — so
 *       Sonde's own time between turns (building the next request, rate-limit waits, retry
 *       backoff), which METRICS.md never adds into e2e, is left out; absent when a turn has none
 *       (it failed);
 *   <li>{@code itl}: every turn's gaps, in order (no gap spans two turns); {@code deltas} summed;
 *   <li>decode time (TPOT and {@code output_tps} divide by it): the sum over turns of
 *       {@code e2e - ttft}, where a turn that streamed no text (only a tool call) counts from its
 *       first delta of any kind ({@code ttft_any}), so that summed output tokens are divided by the
 *       time that produced them; absent when no turn has one.
 * </ul>
 */
final class ConversationTimings {
    private ConversationTimings() {}

    static Timings of(List<Exchange> turns) {
        Timings first = turns.get(0).timings();
        long e2e = 0;
        long decode = 0;
        boolean anyDecode = false;
        int deltas = 0;
        long[] itl = new long[0];
        for (Exchange turn : turns) {
            Timings t = turn.timings();
            e2e = e2e == Timings.ABSENT || !t.has(t.e2eNanos()) ? Timings.ABSENT : e2e + t.e2eNanos();
            long d = decodeNanos(t.ttftNanos(), t.ttftAnyNanos(), t.e2eNanos());
            if (d != Timings.ABSENT) {
                decode += d;
                anyDecode = true;
            }
            deltas += t.deltas();
            long[] joined = Arrays.copyOf(itl, itl.length + t.itlNanos().length);
            System.arraycopy(t.itlNanos(), 0, joined, itl.length, t.itlNanos().length);
            itl = joined;
        }
        return new Timings(first.ttfbNanos(), first.ttftNanos(), first.ttftAnyNanos(), e2e, itl, deltas,
                anyDecode ? decode : Timings.ABSENT);
    }

    private static long decodeNanos(long ttft, long ttftAny, long e2e) {
        return TurnRecord.decodeNanos(ttft, ttftAny, e2e);
    }
}
