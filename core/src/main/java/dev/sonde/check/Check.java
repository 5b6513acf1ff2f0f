package dev.sonde.check;

import dev.sonde.api.Exchange;

/**
 * One assertion on one exchange: a pure function of what came back (and what it cost), with no
 * side effects and no I/O, so it can run on any thread and be re-run on a journaled exchange.
 * The one exception is a graded check ({@code llm-rubric}), which also asks its {@link Grader} — a
 * model call made through the grader, never by the check — and reports what that spent on its
 * {@link CheckResult}. Checks run only on exchanges that succeeded; a failed exchange fails its
 * trial by itself.
 */
public interface Check {

    /** The YAML {@code type} this check was made from, e.g. {@code not-contains}. */
    String type();

    /**
     * @param costUsd the exchange's cost, or null when the model is unpriced
     */
    CheckResult evaluate(Exchange exchange, Double costUsd);
}
