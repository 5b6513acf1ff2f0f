package dev.sonde.suite.lint;

/**
 * A deliberate over-count of a text's tokens, so that "this prefix is below the model's minimum"
 * errs toward silence rather than a false warning: every run of ASCII letters and digits counts one token per
 * {@value #CHARS_PER_WORD_TOKEN} characters (rounded up), every other non-whitespace code point
 * (punctuation, symbols, any non-ASCII character) one token, whitespace nothing except a run at the
 * very end of the text, which counts one.
 *
 * <p>Claude's tokenizer averages about 3.5–4.5 characters a token on English and merges common
 * words and punctuation runs, and the emulator ({@code fixtures/emulator/README.md}, "token
 * approximation") counts one token per 6 letters or fewer, one per symbol and one for trailing
 * whitespace, so it never counts more than this for one text (its per-message overhead aside), and
 * the API usually counts fewer too. Stateless.
 */
final class TokenEstimate {
    static final int CHARS_PER_WORD_TOKEN = 4;

    private TokenEstimate() {}

    static int of(String text) {
        int tokens = 0;
        int run = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 128 && Character.isLetterOrDigit(cp)) {
                run++;
                continue;
            }
            tokens += words(run);
            run = 0;
            if (!Character.isWhitespace(cp)) {
                tokens++;
            }
        }
        boolean trailingSpace = !text.isEmpty() && Character.isWhitespace(text.codePointBefore(text.length()));
        return tokens + words(run) + (trailingSpace ? 1 : 0);
    }

    private static int words(int letters) {
        return (letters + CHARS_PER_WORD_TOKEN - 1) / CHARS_PER_WORD_TOKEN;
    }
}
