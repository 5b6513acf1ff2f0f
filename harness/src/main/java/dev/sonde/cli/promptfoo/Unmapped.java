package dev.sonde.cli.promptfoo;

/**
 * Something in a promptfoo config that the import did not carry over, printed as
 * {@code where: what — why} ({@code where} is {@code file:line:column}), key-like tokens masked
 * ({@link Secrets#mask}): the one rendering of the line, for the console and the suite's comments.
 */
public record Unmapped(String where, String what, String why) {
    @Override
    public String toString() {
        return Secrets.mask(where + ": " + what + " — " + why);
    }
}
