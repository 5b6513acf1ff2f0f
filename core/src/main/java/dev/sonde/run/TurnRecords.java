package dev.sonde.run;

import static dev.sonde.metrics.TimingsMillis.orNull;

import dev.sonde.api.Exchange;
import dev.sonde.journal.TurnRecord;
import dev.sonde.metrics.Cost;
import dev.sonde.metrics.Timings;
import java.util.Optional;

/** Makes the journal's {@link TurnRecord} of one request of a tool loop. */
final class TurnRecords {
    private TurnRecords() {}

    /**
     * @param turn 1-based index of the request in the trial
     * @param cost every attempt of this request priced and summed; empty when the model is unpriced
     */
    static TurnRecord of(int turn, Retrier.Attempts outcome, Optional<Cost> cost) {
        Exchange ex = outcome.last();
        Timings t = ex.timings();
        return new TurnRecord(turn, Math.max(1, outcome.attempts().size()), orNull(t.ttftNanos()),
                orNull(t.ttftAnyNanos()), orNull(t.e2eNanos()), ex.usage().raw(),
                cost.map(Cost::totalUsd).orElse(null),
                ex.stopReason(), ToolCalls.of(ex), ex.failure() == null ? null : ex.failure().errorClass().wireName(),
                ex.hints().emulatorFiller());
    }
}
