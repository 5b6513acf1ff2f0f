package dev.sonde.check;

/** Short, single-line quotes of observed text for check reasons. */
final class Excerpt {
    private static final int MAX = 80;

    private Excerpt() {}

    static String of(String text) {
        String flat = text.replace("\r", "").replace("\n", "\\n");
        return "\"" + (flat.length() > MAX ? flat.substring(0, MAX - 1) + "…" : flat) + "\"";
    }
}
