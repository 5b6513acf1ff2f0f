package dev.sonde.journal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Where one request of a latency benchmark ({@code load:}) sat in its step, journaled on its
 * {@link TrialResult} ({@code load}). Times are milliseconds from the step's start on the run's
 * clock: when the schedule meant it to leave ({@code intended_start_ms}; in a closed loop, when it
 * left), when it was handed to the client ({@code sent_ms}) and when its answer was complete
 * ({@code done_ms}); so response time = done − intended start and start delay = sent − intended
 * start (METRICS.md "open-loop load").
 *
 * @param measured sent after the warm-up: its latencies and errors count in the step
 * @param inWindow completed inside the step's measured window: it counts toward the step's rates
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"step", "intended_start_ms", "sent_ms", "done_ms", "measured", "in_window"})
public record LoadRecord(int step, double intendedStartMs, double sentMs, double doneMs, boolean measured,
        boolean inWindow) {}
