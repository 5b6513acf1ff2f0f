package dev.sonde.check;

import dev.sonde.api.Exchange;

/**
 * {@code word-count} and {@code char-count}: bounds ({@code min} and/or {@code max}, inclusive)
 * on the length of the response's joined text. Words are maximal runs of non-whitespace; chars
 * are Unicode code points of the text with leading and trailing whitespace stripped. Immutable.
 */
final class LengthCheck implements Check {
    private final boolean words;
    private final long min;
    private final long max;

    /** @param min inclusive lower bound, or -1 for none; {@code max} likewise */
    LengthCheck(boolean words, long min, long max) {
        this.words = words;
        this.min = min;
        this.max = max;
    }

    @Override
    public String type() {
        return words ? "word-count" : "char-count";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text().strip();
        long n = words ? (text.isEmpty() ? 0 : text.split("\\s+").length) : text.codePointCount(0, text.length());
        return Bounds.check(type(), (words ? "words " : "chars ") + n, n, min, max);
    }
}
