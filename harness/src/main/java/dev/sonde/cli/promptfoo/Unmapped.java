package dev.sonde.cli.promptfoo;

/**
 * Something in a promptfoo config that the import did not carry over, printed as
 * {@code where: what — why} ({@code where} is {@code file:line:column}).
 */
public record Unmapped(String where, String what, String why) {
    @Override
    public String toString() {
        return where + ": " + what + " — " + why;
    }
}
