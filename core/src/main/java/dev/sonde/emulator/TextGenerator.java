package dev.sonde.emulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Plausible English-ish filler: grammatical sentences from small word lists, grouped into
 * paragraphs separated by a blank line. The same random sequence gives the same text. The answer
 * ends at the first sentence end at or past the target length, so its natural length (what
 * {@code end_turn} answers have) is the target plus at most one sentence. Stateless.
 */
final class TextGenerator {
    /** Natural answer lengths, in tokens (see {@link Tokens}), drawn uniformly from this range. */
    static final int MIN_ANSWER_TOKENS = 30;
    static final int MAX_ANSWER_TOKENS = 200;

    private static final List<String> ADJECTIVES = List.of(
            "quiet", "careful", "steady", "bright", "simple", "useful", "narrow", "broad", "early",
            "late", "clear", "subtle", "robust", "modest", "practical", "familiar", "gentle", "rapid");
    private static final List<String> NOUNS = List.of(
            "model", "river", "garden", "system", "answer", "question", "pattern", "signal", "window",
            "library", "harbor", "process", "result", "method", "forest", "engine", "detail", "record",
            "bridge", "request", "budget", "schedule", "sample", "measure");
    private static final List<String> VERBS = List.of(
            "shapes", "follows", "improves", "explains", "supports", "reflects", "changes", "guides",
            "balances", "reveals", "connects", "measures", "protects", "describes", "limits", "extends");
    private static final List<String> ADVERBS = List.of(
            "slowly", "clearly", "often", "rarely", "quietly", "usually", "carefully", "quickly",
            "naturally", "gradually");
    private static final List<String> PREPOSITIONS = List.of(
            "with", "across", "around", "within", "beyond", "under", "through", "near");
    private static final List<String> OPENERS = List.of(
            "In practice", "As a result", "For example", "In most cases", "Over time", "By contrast",
            "At first", "Even so");

    private TextGenerator() {}

    static int naturalLength(SplittableRandom rng) {
        return MIN_ANSWER_TOKENS + rng.nextInt(MAX_ANSWER_TOKENS - MIN_ANSWER_TOKENS + 1);
    }

    /** Text of at least {@code targetTokens} tokens (if positive), ending with a full sentence. */
    static String generate(SplittableRandom rng, int targetTokens) {
        StringBuilder text = new StringBuilder();
        int sentencesLeftInParagraph = 3 + rng.nextInt(3);
        int tokens = 0;
        while (tokens < targetTokens || text.isEmpty()) {
            if (!text.isEmpty()) {
                if (sentencesLeftInParagraph == 0) {
                    text.append("\n\n");
                    sentencesLeftInParagraph = 3 + rng.nextInt(3);
                } else {
                    text.append(' ');
                }
            }
            String sentence = sentence(rng);
            text.append(sentence);
            tokens += Tokens.count(sentence); // separators glue onto the next token: no extra tokens
            sentencesLeftInParagraph--;
        }
        return text.toString();
    }

    /** A few words (1–3), for string values in generated tool input. */
    static String phrase(SplittableRandom rng) {
        int words = 1 + rng.nextInt(3);
        StringBuilder out = new StringBuilder(pick(rng, ADJECTIVES));
        for (int i = 1; i < words; i++) {
            out.append(' ').append(pick(rng, NOUNS));
        }
        return out.toString();
    }

    private static String sentence(SplittableRandom rng) {
        String s = switch (rng.nextInt(4)) {
            case 0 -> "the " + pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS) + " " + pick(rng, VERBS)
                    + " the " + pick(rng, NOUNS) + " " + pick(rng, PREPOSITIONS) + " a "
                    + pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS) + ".";
            case 1 -> pick(rng, OPENERS) + ", every " + pick(rng, NOUNS) + " " + pick(rng, VERBS) + " its "
                    + pick(rng, NOUNS) + " " + pick(rng, ADVERBS) + ".";
            case 2 -> "a " + pick(rng, NOUNS) + " that " + pick(rng, VERBS) + " the " + pick(rng, NOUNS)
                    + " is " + pick(rng, ADVERBS) + " " + pick(rng, ADJECTIVES) + ", and the "
                    + pick(rng, NOUNS) + " " + pick(rng, VERBS) + " it.";
            default -> "this " + pick(rng, NOUNS) + " " + pick(rng, VERBS) + " how the "
                    + pick(rng, ADJECTIVES) + " " + pick(rng, NOUNS) + " " + pick(rng, VERBS) + " "
                    + pick(rng, PREPOSITIONS) + " " + (1 + rng.nextInt(12)) + " steps.";
        };
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String pick(SplittableRandom rng, List<String> words) {
        return words.get(rng.nextInt(words.size()));
    }
}
