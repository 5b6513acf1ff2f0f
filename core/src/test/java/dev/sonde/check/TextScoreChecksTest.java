package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** rouge-n and bleu: their formulas on hand-worked examples, thresholds, negation and bad input. */
class TextScoreChecksTest {

    private static CheckResult run(String yaml, String output) throws Exception {
        return check(yaml).evaluate(text(output).build(), null);
    }

    @Test
    void rouge_is_unigram_f1_case_sensitive_with_punctuation_as_tokens() throws Exception {
        // output: the cat sat . (4) reference: the cat sat on the mat (6); 3 match: P 3/4, R 3/6, F1 = 0.6
        CheckResult r = run("{type: rouge-n, value: the cat sat on the mat}", "the cat sat.");
        assertThat(r.score()).isCloseTo(0.6, within(1e-9));
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).isEqualTo("ROUGE-1 F1 0.600 < threshold 0.75 (3 of 4 output and 6 reference 1-grams match)");
        assertThat(run("{type: rouge-n, value: the cat sat on the mat, threshold: 0.6}", "the cat sat.").pass()).isTrue();
        assertThat(run("{type: rouge-n, value: the cat sat on the mat}", "The Cat sat on the mat").score())
                .as("case-sensitive: 4 of 6").isCloseTo(4.0 / 6, within(1e-9));
        assertThat(run("{type: rouge-n, value: the the the}", "the").score()).as("clipped: P 1, R 1/3")
                .isCloseTo(0.5, within(1e-9));
        assertThat(run("{type: rouge-n, value: a b c d}", "a b c d").score()).isEqualTo(1.0);
        assertThat(run("{type: rouge-n, value: a b c d}", "x y").score()).isEqualTo(0.0);
    }

    @Test
    void rouge_n_takes_longer_grams() throws Exception {
        // bigrams: output [a b][b c][c x] reference [a b][b c][c d]: 2 of 3 each way
        CheckResult r = run("{type: rouge-n, value: a b c d, n: 2}", "a b c x");
        assertThat(r.score()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(r.reason()).startsWith("ROUGE-2 F1 0.667");
        assertThat(run("{type: rouge-n, value: a b c d, n: 3}", "a b").score()).isEqualTo(0.0);
    }

    @Test
    void bleu_follows_the_documented_formula() throws Exception {
        CheckResult same = run("{type: bleu, value: the quick brown fox jumps}", "The quick brown fox jumps");
        assertThat(same.score()).isCloseTo(1.0, within(1e-12));
        assertThat(same.reason()).isEqualTo("BLEU 1.000 ≥ threshold 0.50 (5 output words, closest reference 5)");
        // 4 words of a 6-word reference: every p_n is 1, BP = exp(1 - 6/4)
        assertThat(run("{type: bleu, value: a b c d e f}", "a b c d").score()).isCloseTo(Math.exp(-0.5), within(1e-12));
        // under four words: p_4 has no grams, floored to 1e-7
        assertThat(run("{type: bleu, value: a b c}", "a b c").score()).isCloseTo(Math.pow(1e-7, 0.25), within(1e-12));
        // several references: the best clipped count per n, the closest length for BP
        double withTwo = run("{type: bleu, value: [x y z w v, a b c d e]}", "a b c d e").score();
        assertThat(withTwo).isCloseTo(1.0, within(1e-12));
        // punctuation stays on the word: "e." misses, so p = 4/5, 3/4, 2/3, 1/2
        assertThat(run("{type: bleu, value: a b c d e}", "a b c d e.").score()).as("punctuation stays on the word")
                .isCloseTo(Math.pow(0.8 * 0.75 * 2 / 3 * 0.5, 0.25), within(1e-12));
    }

    @Test
    void bleu_brevity_penalty_is_the_standard_one_never_above_one() throws Exception {
        // 4 of 9 words, every precision 1: BP = exp(1 - 9/4); promptfoo's exp(1 - 4/9) would give 1.74
        CheckResult r = run("{type: bleu, value: the quick brown fox jumps over the lazy dog}", "the quick brown fox");
        assertThat(r.score()).isCloseTo(Math.exp(1 - 9.0 / 4), within(1e-12));
        assertThat(r.pass()).isFalse();
    }

    @Test
    void empty_output_is_undecided_so_both_forms_fail_and_negation_inverts_a_verdict() throws Exception {
        CheckResult rouge = run("{type: rouge-n, value: x}", " ");
        assertThat(rouge.reason()).isEqualTo("output has no words to score against the reference");
        assertThat(rouge.undecided()).isTrue();
        CheckResult bleu = run("{type: bleu, value: x}", "");
        assertThat(bleu.reason()).isEqualTo("output is empty, nothing to score against the reference");
        assertThat(bleu.undecided()).isTrue();
        assertThat(run("{type: not-rouge-n, value: x}", " ").pass()).as("promptfoo throws: a fail either way").isFalse();
        assertThat(run("{type: not-bleu, value: x}", "").pass()).as("promptfoo throws: a fail either way").isFalse();
        CheckResult not = run("{type: not-rouge-n, value: a b c d}", "x y");
        assertThat(not.pass()).isTrue();
        assertThat(not.reason()).startsWith("does not hold, as required: ROUGE-1 F1 0.000 < threshold 0.75");
        assertThat(run("{type: not-bleu, value: a b c d e}", "a b c d e").pass()).isFalse();
    }

    @Test
    void bad_parameters_are_suite_errors() {
        assertThatThrownBy(() -> check("{type: rouge-n, value: '  '}")).hasMessage(
                "s.yaml:7:9: cases[0].assert[0].value: 'rouge-n' needs a 'value': the reference text, with at least one word");
        assertThatThrownBy(() -> check("{type: rouge-n, value: x, n: 0}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].n: 'n' must be a whole number from 1 to 10");
        assertThatThrownBy(() -> check("{type: bleu, value: x, threshold: 2}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].threshold: 'threshold' must be a number from 0 to 1");
        assertThatThrownBy(() -> check("{type: bleu, value: [a, ' ']}")).hasMessageContaining("none blank");
        assertThatThrownBy(() -> check("{type: bleu}")).hasMessageContaining("'bleu' needs a 'value'");
    }
}
