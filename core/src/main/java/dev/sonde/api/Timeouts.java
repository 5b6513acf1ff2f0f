package dev.sonde.api;

import dev.sonde.suite.RunSpec;

import java.time.Duration;

/**
 * Per-request time limits, each classified on its own when it fires: {@code total} (send to last
 * byte, {@code timeout_total}); {@code firstToken} (send to the first content delta of a stream,
 * {@code timeout_first_token}); {@code idle} (longest silence between body chunks once a stream's
 * first token, or a JSON response's headers, arrived, {@code timeout_idle}). The connect limit belongs to the client ({@code timeout_connect}).
 */
public record Timeouts(Duration total, Duration firstToken, Duration idle) {

    public Timeouts {
        if (total.isNegative() || total.isZero() || firstToken.isNegative() || firstToken.isZero()
                || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The per-request limits a suite's {@code run:} sets: total, to the first token, idle between chunks. */
    public static Timeouts of(RunSpec run) {
        return new Timeouts(run.timeout(), run.firstTokenTimeout(), run.idleTimeout());
    }

    /** Only a total limit: first-token and idle limits equal to it never fire first. */
    public static Timeouts total(Duration total) {
        return new Timeouts(total, total, total);
    }
}
