package dev.sonde.check;

/** Short, single-line quotes of observed text for check reasons. */
final class Excerpt {
    private static final int MAX = 80;

    private Excerpt() {}

    /** A JSON value as compact JSON, unquoted (its own quotes show a string), shortened like {@link #of}. */
    static String json(com.fasterxml.jackson.databind.JsonNode value) {
        String flat = value.toString();
        return flat.length() > MAX ? flat.substring(0, MAX - 1) + "…" : flat;
    }

    static String of(String text) {
        String flat = text.replace("\r", "").replace("\n", "\\n");
        return "\"" + (flat.length() > MAX ? flat.substring(0, MAX - 1) + "…" : flat) + "\"";
    }
}
