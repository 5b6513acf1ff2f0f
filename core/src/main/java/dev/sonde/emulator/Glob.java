package dev.sonde.emulator;

import java.util.regex.Pattern;

/**
 * A model-id pattern: {@code *} matches any run of characters, {@code ?} exactly one; every other
 * character matches itself (case-sensitive). A pattern without wildcards is an exact match.
 * Immutable and thread-safe.
 */
record Glob(String pattern, Pattern regex) {

    static Glob of(String pattern) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return new Glob(pattern, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    boolean matches(String value) {
        return value != null && regex.matcher(value).matches();
    }
}
