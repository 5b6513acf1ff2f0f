package dev.sonde.api;

import java.util.Map;
import java.util.Optional;

/**
 * An API key that cannot leak by accident: {@link #toString()} never shows it, and the only way
 * to read it is {@link #reveal()}, called where the header is set. Keys come from the
 * environment only ({@code ANTHROPIC_API_KEY}, or a model's {@code api_key_env}), never from
 * suite files or flags.
 */
public final class ApiKey {
    public static final String ENV = "ANTHROPIC_API_KEY";
    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    /**
     * A key from its value, surrounding whitespace stripped.
     *
     * @throws IllegalArgumentException when it is empty or holds a character that cannot go in an
     *     HTTP header; the message says which kind of character and where, never the key
     */
    public static ApiKey of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an API key must not be empty");
        }
        String key = value.strip();
        String problem = problem(key);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new ApiKey(key);
    }

    /** The key from {@value #ENV} in {@code env}, if set and not blank. */
    public static Optional<ApiKey> fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, ENV);
    }

    /**
     * The key from the variable {@code name} in {@code env}, if set and not blank.
     *
     * @throws IllegalArgumentException when the value cannot be a key (see {@link #of}); the
     *     message names the variable, never the value
     */
    public static Optional<ApiKey> fromEnvironment(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a usable key: " + e.getMessage());
        }
    }

    /**
     * Why {@code key} cannot be sent as a header value, or null: a key is visible ASCII only
     * (U+0021 to U+007E), as every provider's keys are. A newline would split the request's
     * headers; a space or a non-ASCII character is a paste error.
     */
    private static String problem(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                String what = c == '\n' || c == '\r' ? "a line break"
                        : c == ' ' || c == '\t' ? "a space"
                        : c < 0x20 || c == 0x7F ? String.format("a control character (U+%04X)", (int) c)
                        : "a non-ASCII character";
                return "it holds " + what + " at character " + (i + 1)
                        + " (keys are visible ASCII; the value is not shown)";
            }
        }
        return null;
    }

    /** The shortest key whose last characters {@link #lastFour} shows. */
    public static final int MIN_SHOWN_LENGTH = 20;

    /**
     * The key's last four characters, to tell keys apart on a console (the live-run banner); empty
     * for a key shorter than {@value #MIN_SHOWN_LENGTH} characters, of which four would give away
     * too much. Never more of the key than that.
     */
    public Optional<String> lastFour() {
        return value.length() < MIN_SHOWN_LENGTH ? Optional.empty() : Optional.of(value.substring(value.length() - 4));
    }

    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "ApiKey[****]";
    }
}
