package dev.sonde.emulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The emulator's deterministic token approximation. It is not Claude's tokenizer; it only has to
 * be stable, cheap and roughly proportional to real counts (about 1.3 tokens per English word).
 *
 * <p>A text is cut into tokens, left to right, so that the tokens concatenate back to the text:
 * <ol>
 *   <li>a run of whitespace is glued to the front of the token that follows it (trailing
 *       whitespace at the very end is one token of its own);</li>
 *   <li>a run of ASCII letters and digits is cut into pieces of at most {@value #WORD_PIECE_CHARS}
 *       characters, one token each;</li>
 *   <li>every other code point (punctuation, symbols, any non-ASCII character) is one token.</li>
 * </ol>
 * So {@code "Hello, world!"} is 4 tokens ({@code Hello}, {@code ,}, {@code " world"}, {@code !})
 * and the empty string is 0. Cutting a text after its first {@code n} tokens and counting again
 * gives {@code n}, which is what {@code max_tokens} truncation relies on. Stateless.
 */
final class Tokens {
    static final int WORD_PIECE_CHARS = 6;

    private Tokens() {}

    static int count(String text) {
        int tokens = 0;
        for (int i = 0; i < text.length(); i = end(text, i)) {
            tokens++;
        }
        return tokens;
    }

    /** The tokens of {@code text}, in order; their concatenation is {@code text}. */
    static List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int next = end(text, i);
            tokens.add(text.substring(i, next));
            i = next;
        }
        return tokens;
    }

    /** The first {@code maxTokens} tokens of {@code text}, or all of it if it is shorter. */
    static String prefix(String text, int maxTokens) {
        int i = 0;
        for (int n = 0; n < maxTokens && i < text.length(); n++) {
            i = end(text, i);
        }
        return text.substring(0, i);
    }

    /** End (exclusive) of the token that starts at {@code start}. */
    private static int end(String text, int start) {
        int n = text.length();
        int i = start;
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return n;
        }
        if (isWordChar(text.charAt(i))) {
            int limit = Math.min(n, i + WORD_PIECE_CHARS);
            int j = i;
            while (j < limit && isWordChar(text.charAt(j))) {
                j++;
            }
            return j;
        }
        return i + Character.charCount(text.codePointAt(i));
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
