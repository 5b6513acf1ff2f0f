package dev.sonde.suite;

/**
 * A mistake in a suite file: where it is, which field, what is wrong and how to fix it. The CLI
 * prints {@link #getMessage()} as one line ({@code file:line:col: field: problem (hint)}) and
 * exits 2 — users never see a stack trace for their own mistakes.
 */
public final class SuiteException extends Exception {
    private final Location location;
    private final String field;

    public SuiteException(Location location, String field, String problem) {
        super(location + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + problem);
        this.location = location;
        this.field = field;
    }

    public Location location() {
        return location;
    }

    /** The field's path in the suite, e.g. {@code cases[2].assert[0].type}. */
    public String field() {
        return field;
    }
}
