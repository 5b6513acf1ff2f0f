package dev.sonde.suite.lint;

import dev.sonde.suite.Location;
import java.util.List;

/**
 * One thing in a suite that will not do what its author meant, where it is written, and how to fix
 * it. Printed as {@code file:line:col: warning: <what>. Fix: <how>} ({@link #toString()}).
 *
 * @param location what the warning is about (a {@code cache_control}, a model id), as written in the suite
 * @param field its path in the suite, e.g. {@code defaults.system[1].cache_control}
 * @param cases the ids of the cases whose requests show the mistake, in plan order; empty for a
 *     warning about the suite as a whole (a model id)
 * @param what what goes wrong, one sentence without a final period
 * @param fix how to put it right, one sentence without a final period
 */
public record LintWarning(Location location, Kind kind, String field, List<String> cases, String what, String fix) {

    private static final int CASES_NAMED = 3;

    public LintWarning {
        cases = List.copyOf(cases);
    }

    /** The mistakes {@link CacheLint} and {@link ModelLint} know. */
    public enum Kind {
        /** Content that differs between cases sits before the breakpoint: every case writes its own entry. */
        PREFIX_VARIES,
        /** The prefix through the breakpoint is shorter than the model's minimum: silently not cached. */
        BELOW_MINIMUM,
        /** More than the API's 4 breakpoints in one request: the API rejects it. */
        TOO_MANY_BREAKPOINTS,
        /** A 1h breakpoint after a 5m one: the API rejects it. */
        TTL_ORDER,
        /** A breakpoint in messages while system or tools differ between cases. */
        MESSAGES_AFTER_VARYING_SYSTEM_OR_TOOLS,
        /** A model id the pricing table does not know: its trials are unpriced, and it may be a typo. */
        UNPRICED_MODEL
    }

    @Override
    public String toString() {
        return location + ": warning: " + field + (cases.isEmpty() ? "" : " (" + casesLabel() + ")") + ": " + what
                + ". Fix: " + fix;
    }

    /** {@code case a}, {@code cases a, b and c}, {@code cases a, b, c and 4 more}. */
    public String casesLabel() {
        if (cases.size() == 1) {
            return "case " + cases.get(0);
        }
        if (cases.size() <= CASES_NAMED) {
            return "cases " + String.join(", ", cases.subList(0, cases.size() - 1)) + " and " + cases.get(cases.size() - 1);
        }
        return "cases " + String.join(", ", cases.subList(0, CASES_NAMED)) + " and " + (cases.size() - CASES_NAMED)
                + " more";
    }
}
